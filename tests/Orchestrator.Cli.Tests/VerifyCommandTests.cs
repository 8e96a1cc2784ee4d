using System.Text.Json;
using Orchestrator.Cli.Tests.Support;

namespace Orchestrator.Cli.Tests;

[TestClass]
public sealed class VerifyCommandTests
{
    private static async Task<string> RecordRunAsync(TempDirectory dir)
    {
        var outcome = await CliProcess.RunAsync(dir.Path, "exec", "--json", "--", "sh", "-c", "echo one; echo two");
        Assert.AreEqual(0, outcome.ExitCode, outcome.ToString());
        using var summary = JsonDocument.Parse(outcome.Stdout);
        return summary.RootElement.GetProperty("manifestPath").GetString()!;
    }

    [TestMethod]
    public async Task ASoundRunVerifies()
    {
        using var dir = new TempDirectory();
        string manifest = await RecordRunAsync(dir);

        var verify = await CliProcess.RunAsync(dir.Path, "verify", manifest);
        Assert.AreEqual(0, verify.ExitCode, verify.ToString());
        StringAssert.StartsWith(verify.Stdout, "ok:");

        var byDirectory = await CliProcess.RunAsync(dir.Path, "verify", "--json", Path.GetDirectoryName(manifest)!);
        Assert.AreEqual(0, byDirectory.ExitCode, byDirectory.ToString());
        using var report = JsonDocument.Parse(byDirectory.Stdout);
        Assert.IsTrue(report.RootElement.GetProperty("valid").GetBoolean());
    }

    [TestMethod]
    public async Task AnEditedEventsFileIsDetected()
    {
        using var dir = new TempDirectory();
        string manifest = await RecordRunAsync(dir);
        string events = Path.Combine(Path.GetDirectoryName(manifest)!, "events.jsonl");

        // Still schema-valid, same length: only the hash can tell.
        string text = File.ReadAllText(events);
        int at = text.IndexOf("\"text\":\"one", StringComparison.Ordinal);
        Assert.IsTrue(at > 0, text);
        File.WriteAllText(events, text[..at] + "\"text\":\"eno" + text[(at + 13)..]);

        var verify = await CliProcess.RunAsync(dir.Path, "verify", "--json", manifest);
        Assert.AreEqual(65, verify.ExitCode, verify.ToString());
        StringAssert.Contains(verify.Stderr, "eventsSha256");
        using var report = JsonDocument.Parse(verify.Stdout);
        Assert.IsFalse(report.RootElement.GetProperty("valid").GetBoolean());
    }

    [TestMethod]
    public async Task AManifestThatBreaksTheSchemaIsReported()
    {
        using var dir = new TempDirectory();
        string manifest = await RecordRunAsync(dir);
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"runner\": \"cli\"", "\"runner\": \"teleport\"", StringComparison.Ordinal));

        var verify = await CliProcess.RunAsync(dir.Path, "verify", manifest);
        Assert.AreEqual(65, verify.ExitCode, verify.ToString());
        StringAssert.Contains(verify.Stderr, "/runner");
    }

    [TestMethod]
    public async Task AMissingManifestExits66()
    {
        using var dir = new TempDirectory();
        var verify = await CliProcess.RunAsync(dir.Path, "verify", dir.Combine("nope", "manifest.json"));
        Assert.AreEqual(66, verify.ExitCode, verify.ToString());
    }
}
