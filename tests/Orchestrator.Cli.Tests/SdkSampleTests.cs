using Orchestrator.Cli.Tests.Support;

namespace Orchestrator.Cli.Tests;

/// <summary>The sample of docs/guides/sdk.md runs for real and proves what the guide says.</summary>
[TestClass]
public sealed class SdkSampleTests
{
    [TestMethod]
    public async Task TheSdkSampleStreamsFindsReplaysAndVerifiesItsRun()
    {
        using var dir = new TempDirectory();
        var info = CliProcess.StartInfo(dir.Path, [CliProcess.SdkSamplePath, dir.Combine("runs")], program: "dotnet");
        var outcome = await CliProcess.RunAsync(info);

        Assert.AreEqual(0, outcome.ExitCode, outcome.ToString());
        StringAssert.Contains(outcome.Stdout, "stdout building");
        StringAssert.Contains(outcome.Stdout, "stderr warning: slow");
        StringAssert.Contains(outcome.Stdout, "result Succeeded exit 0");
        StringAssert.Contains(outcome.Stdout, "verify ok");
    }
}
