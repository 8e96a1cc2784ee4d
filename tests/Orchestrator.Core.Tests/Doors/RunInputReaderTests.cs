using Orchestrator.Core.Doors;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Settings;
using Orchestrator.Core.Validation;

namespace Orchestrator.Core.Tests.Doors;

[TestClass]
public sealed class RunInputReaderTests
{
    [TestMethod]
    public void AGoodInputBecomesExplicitSettings()
    {
        var input = new RunInput
        {
            TaskId = "build",
            ApprovalPolicy = " Never ",
            SandboxMode = "read-only",
            Network = "true",
            WritableRoots = ["/tmp/a", " ", "/tmp/b "],
            MaxAttempts = "2",
            EventBudgetBytes = "0",
            CaptureBytes = "4096",
            KillGracePeriod = "0",
            OtelEndpoint = " http://127.0.0.1:4318 ",
            Notify = ["", " command:true "],
        };

        Assert.IsTrue(RunInputReader.TryRead(input, SettingSurface.MSBuildExec, out var read, out var problem), problem?.ToString());
        Assert.AreEqual("build", read.Settings.TaskId);
        Assert.AreEqual(ApprovalPolicy.Never, read.Settings.ApprovalPolicy);
        Assert.AreEqual(SandboxMode.ReadOnly, read.Settings.SandboxMode);
        Assert.IsTrue(read.Settings.Network);
        CollectionAssert.AreEqual(new[] { "/tmp/a", "/tmp/b" }, read.Settings.WritableRoots!.Value.ToArray());
        Assert.AreEqual(2, read.Settings.MaxAttempts);
        Assert.AreEqual(0, read.Settings.EventBudgetBytes);
        Assert.AreEqual(4096, read.Settings.CaptureBytes);
        Assert.AreEqual(TimeSpan.Zero, read.KillGracePeriod);
        Assert.AreEqual("http://127.0.0.1:4318", read.OtelEndpoint);
        CollectionAssert.AreEqual(new[] { "command:true" }, read.Notify.ToArray());
    }

    [TestMethod]
    public void NothingSetLeavesEverythingToTheEnvironmentAndTheConfiguration()
    {
        Assert.IsTrue(RunInputReader.TryRead(new RunInput(), SettingSurface.CliPipeline, out var read, out _));
        Assert.AreEqual(new Orchestrator.Core.Configuration.ExplicitSettings(), read.Settings);
        Assert.IsNull(read.KillGracePeriod);
        Assert.IsNull(read.OtelEndpoint);
        Assert.IsEmpty(read.Notify);
    }

    [TestMethod]
    [DataRow("", "it is empty")]
    [DataRow("../escape", "'/' is not allowed")]
    [DataRow("..", "'.' and '..' are not task ids")]
    public void ABadTaskIdIsOrch0001(string taskId, string why)
    {
        Assert.IsFalse(RunInputReader.TryRead(new RunInput { TaskId = taskId }, SettingSurface.CakeExec, out _, out var problem));
        Assert.AreEqual("ORCH0001", problem.Code);
        StringAssert.Contains(problem.Text, why);
    }

    [TestMethod]
    [DataRow("MaxAttempts", "0", "use a number from 1 to 20")]
    [DataRow("MaxAttempts", "21", "use a number from 1 to 20")]
    [DataRow("NetworkAccess", "maybe", "use true or false")]
    [DataRow("SandboxMode", "sideways", "use read-only, workspace-write, danger-full-access")]
    [DataRow("ApprovalPolicy", "always", "use untrusted, on-failure, on-request, never")]
    [DataRow("OutputEventBudget", "-1", "use a number of bytes, 0 for unlimited")]
    [DataRow("OutputCaptureBytes", "1", "use a number of bytes of at least 2")]
    [DataRow("KillGracePeriod", "-5", "0 kills at once")]
    public void ABadValueIsOrch0006NamingTheParameter(string parameter, string value, string hint)
    {
        var input = parameter switch
        {
            "MaxAttempts" => new RunInput { MaxAttempts = value },
            "NetworkAccess" => new RunInput { Network = value },
            "SandboxMode" => new RunInput { SandboxMode = value },
            "ApprovalPolicy" => new RunInput { ApprovalPolicy = value },
            "OutputEventBudget" => new RunInput { EventBudgetBytes = value },
            "OutputCaptureBytes" => new RunInput { CaptureBytes = value },
            _ => new RunInput { KillGracePeriod = value, PlainDurationUnit = PlainNumberUnit.Milliseconds },
        };

        Assert.IsFalse(RunInputReader.TryRead(input, SettingSurface.MSBuildExec, out _, out var problem));
        Assert.AreEqual("ORCH0006", problem.Code);
        StringAssert.StartsWith(problem.Text, $"Invalid value \"{value}\" for parameter {parameter}: ");
        StringAssert.Contains(problem.Text, hint);
    }
}
