using System.Diagnostics;
using System.Text.Json;
using Orchestrator.Cake.Tests.Support;

namespace Orchestrator.Cake.Tests;

/// <summary>OrchestratorExec driven by real `dotnet cake` runs of fixture scripts that load the addin.</summary>
[TestClass]
public sealed class OrchestratorExecAliasTests
{
    [ClassInitialize]
    public static async Task PrepareAsync(TestContext _) => await CakeScript.WorkspaceAsync();

    private static Dictionary<string, string> Args(TempDirectory runs, string task) => new() { ["runs-root"] = runs.Path, ["task-id"] = task };

    [TestMethod]
    public async Task ASucceedingCommandStreamsItsOutputIntoTheCakeLogAndReturnsItsResult()
    {
        using var runs = new TempDirectory("orch-cake-runs");
        string script = await CakeScript.PrepareAsync("exec-success.cake");
        var info = Dotnet.StartInfo(Path.GetDirectoryName(script)!, ["cake", script, "--verbosity=normal", $"--runs-root={runs.Path}", "--task-id=cake-ok"],
            CakeScript.WithoutCi(null));
        using var process = new Process { StartInfo = info };
        var seen = new Dictionary<string, TimeSpan>();
        var output = new System.Text.StringBuilder();
        var clock = Stopwatch.StartNew();
        DataReceivedEventHandler collect = (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (seen)
            {
                output.AppendLine(e.Data);
                // Whole lines only: the logged command line mentions both markers.
                string line = CakeScript.StripAnsi(e.Data).Trim();
                if (line is "line-one {braces}" or "line-two")
                {
                    seen.TryAdd(line.Split(' ')[0], clock.Elapsed);
                }
            }
        };
        process.OutputDataReceived += collect;
        process.ErrorDataReceived += collect;
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync();

        string log = CakeScript.StripAnsi(output.ToString());
        Assert.AreEqual(0, process.ExitCode, log);
        StringAssert.Contains(log, "> echo line-one {braces}; sleep 3; echo line-two >&2", "the command line is logged");
        StringAssert.Contains(log, "line-one {braces}", "output with braces is logged as text, not as a format");
        StringAssert.Contains(log, "RESULT exit=0 status=succeeded sandbox=sandboxed stdout=line-one {braces}");
        Assert.IsTrue(seen["line-two"] - seen["line-one"] > TimeSpan.FromSeconds(2),
            $"line-one arrived only {(seen["line-two"] - seen["line-one"]).TotalSeconds:0.0} s before line-two: it was not streamed");

        string manifest = log.Split('\n').Single(l => l.StartsWith("MANIFEST=", StringComparison.Ordinal))["MANIFEST=".Length..].Trim();
        StringAssert.StartsWith(manifest, Path.Combine(runs.Path, "cake-ok", "cli") + "/");
        RunFiles.AssertValidRun(manifest);
        using var doc = RunFiles.ReadManifest(manifest);
        Assert.AreEqual("cake", doc.RootElement.GetProperty("runner").GetString());
        Assert.AreEqual("succeeded", doc.RootElement.GetProperty("status").GetString());
        Assert.AreEqual("stream", doc.RootElement.GetProperty("commands")[0].GetProperty("id").GetString());
    }

    [TestMethod]
    public async Task AFailingCommandIsACakeExceptionAndANonZeroExit()
    {
        using var runs = new TempDirectory("orch-cake-runs");

        var result = await CakeScript.RunAsync("exec-failure.cake", Args(runs, "cake-fail"));

        Assert.AreNotEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Output, "about-to-fail");
        StringAssert.Contains(result.Output, "CAUGHT Cake.Core.CakeException");
        StringAssert.Contains(result.Output, "ORCH0100: The command \"sh -c 'echo about-to-fail; exit 5'\" exited with code 5.");
        Assert.IsFalse(result.Output.Contains("NOT-REACHED", StringComparison.Ordinal));
        string manifest = Directory.GetFiles(runs.Path, "manifest.json", SearchOption.AllDirectories).Single();
        RunFiles.AssertValidRun(manifest);
        using var doc = RunFiles.ReadManifest(manifest);
        Assert.AreEqual("failed", doc.RootElement.GetProperty("status").GetString());
        Assert.AreEqual(5, doc.RootElement.GetProperty("exitCode").GetInt32());
    }

    [TestMethod]
    public async Task ConflictingSettingsAreACakeExceptionBeforeAnythingRuns()
    {
        using var runs = new TempDirectory("orch-cake-runs");

        var result = await CakeScript.RunAsync("bad-settings.cake", Args(runs, "cake-bad"));

        Assert.AreNotEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Output, "ORCH0004: Set only one of Command, Argv and ScriptFile (got Command, Argv).");
        Assert.AreEqual(0, Directory.GetFiles(runs.Path, "manifest.json", SearchOption.AllDirectories).Length, "nothing ran");
    }
}
