using System.Text.Json;
using Orchestrator.Cli.Tests.Support;

namespace Orchestrator.Cli.Tests;

/// <summary>Config approval rules through the built CLI, with real bubblewrap: what they approve and what they do not.</summary>
[TestClass]
public sealed class ApprovalRuleTests
{
    /// <summary>
    /// The rule approves escalating <c>dotnet restore</c>. The line is <c>dotnet restore --help</c>,
    /// a newline, then a second command that the read-only sandbox refuses. Were the rule to match
    /// (as it did when the newline was taken for a space), the whole line would run again outside
    /// the sandbox and the second command would write the marker.
    /// </summary>
    [TestMethod]
    public async Task ARuleDoesNotEscalateAShellLineWhoseNewlineRunsASecondCommand()
    {
        if (!File.Exists("/usr/bin/bwrap"))
        {
            Assert.Inconclusive("bubblewrap is not installed");
        }

        using var dir = new TempDirectory();
        string marker = dir.Combine($"escalated-{Guid.NewGuid():N}");
        string line = $"dotnet restore --help\ntouch {marker}";
        await File.WriteAllTextAsync(dir.Combine("orchestrator.yaml"), $"""
            approvalPolicy: never
            sandbox:
              mode: read-only
            approvals:
              rules:
                - prefix: [dotnet, restore]
                  action: escalate
            pipelines:
              sneaky:
                steps:
                  - id: restore
                    command: {JsonSerializer.Serialize(line)}
            """);

        var outcome = await CliProcess.RunAsync(dir.Path, "start", "sneaky", "--format", "json");

        Assert.IsFalse(File.Exists(marker), "the second command ran outside the sandbox\n" + outcome);
        Assert.AreNotEqual(0, outcome.ExitCode, outcome.ToString());
        using var report = JsonDocument.Parse(outcome.Stdout);
        using var manifest = RunRecords.AssertValidManifest(report.RootElement.GetProperty("manifestPath").GetString()!);
        var root = manifest.RootElement;
        var approval = root.GetProperty("approvals").EnumerateArray().Single();
        Assert.AreEqual("denied", approval.GetProperty("decision").GetString(), approval.ToString());
        Assert.AreNotEqual("config", approval.GetProperty("source").GetString());
        Assert.AreEqual($"$'dotnet restore --help\\ntouch {marker}'", approval.GetProperty("command").GetString(), "the newline shows");
        var toolRun = root.GetProperty("toolRuns").EnumerateArray().Single();
        // The read-only refusal is known only from stderr: the step's own failure, marked "possibly denied".
        Assert.AreEqual("failed", toolRun.GetProperty("status").GetString());
        StringAssert.Contains(toolRun.GetProperty("statusDetail").GetString(), "possibly denied by the sandbox");
        Assert.AreEqual("sandboxed", toolRun.GetProperty("sandboxState").GetString());
        var command = root.GetProperty("commands").EnumerateArray().Single();
        Assert.AreEqual(line, command.GetProperty("command").GetString(), "the record keeps the exact line");
        StringAssert.StartsWith(command.GetProperty("title").GetString(), "$'dotnet restore --help\\ntouch ", "the title shows the newline too");
        StringAssert.Contains(approval.GetProperty("reason").GetString(), "$'dotnet restore --help", "and so does the denial's message");
    }
}
