using System.Diagnostics;
using Orchestrator.Cli.Tests.Support;
using Orchestrator.Core.Events;

namespace Orchestrator.Cli.Tests;

[TestClass]
public sealed class ExecSignalTests
{
    [TestMethod]
    [DataRow("INT")]
    [DataRow("TERM")]
    public async Task ASignalEndsTheChildTreeAndWritesACancelledManifest(string signal)
    {
        using var dir = new TempDirectory();
        string pidFile = dir.Combine("grandchild.pid");

        // A child with a grandchild of its own: both must be gone after the signal.
        using var process = CliProcess.Start(dir.Path, "exec", "--jsonl", "--sandbox", "danger-full-access", "--", "sh", "-c", $"sleep 300 & echo $! > '{pidFile}'; echo started; wait");
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            lines.Add(line);
            if (line.Contains("\"text\":\"started\\n\"", StringComparison.Ordinal))
            {
                break;
            }
        }

        CliProcess.Signal(process.Id, signal);
        lines.AddRange((await process.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        await process.WaitForExitAsync();

        Assert.AreEqual(130, process.ExitCode, await stderr);
        var events = RunRecords.ParseJsonl(lines);
        var summary = (RunSummaryPayload)events[^1].Payload;
        Assert.AreEqual("cancelled", summary.Status);
        using var manifest = RunRecords.AssertValidManifest(RunRecords.ManifestPathOf(events));
        Assert.AreEqual("cancelled", manifest.RootElement.GetProperty("status").GetString());
        Assert.AreEqual("cancelled", manifest.RootElement.GetProperty("commands")[0].GetProperty("status").GetString());

        int grandchild = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.IsFalse(IsAlive(grandchild), $"grandchild {grandchild} survived the cancellation");
    }

    private static bool IsAlive(int pid)
    {
        // A zombie is dead for our purpose; /proc/<pid>/stat says 'Z'.
        string stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }

        try
        {
            string text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
