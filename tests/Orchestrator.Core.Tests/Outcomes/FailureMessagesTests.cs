using Orchestrator.Core.Outcomes;

namespace Orchestrator.Core.Tests.Outcomes;

/// <summary>A Core failure gets one ORCH code, in every door (the MSBuild tasks and the Cake aliases had a mapping each).</summary>
[TestClass]
public sealed class FailureMessagesTests
{
    [TestMethod]
    [DataRow(OrchestratorErrorCode.InvalidTaskId, false, "ORCH0001")]
    [DataRow(OrchestratorErrorCode.RunsRootNotWritable, false, "ORCH0002")]
    [DataRow(OrchestratorErrorCode.InvalidRequest, false, "ORCH0008")]
    [DataRow(OrchestratorErrorCode.InvalidRunId, false, "ORCH0008")]
    [DataRow(OrchestratorErrorCode.InvalidConfiguration, false, "ORCH0009")]
    [DataRow(OrchestratorErrorCode.UnknownPipeline, false, "ORCH0010")]
    [DataRow(OrchestratorErrorCode.ResumeRefused, false, "ORCH0011")]
    [DataRow(OrchestratorErrorCode.RunNotFound, false, "ORCH0012")]
    [DataRow(OrchestratorErrorCode.CorruptRunRecord, false, "ORCH0013")]
    [DataRow(OrchestratorErrorCode.RunNotFound, true, "ORCH0500")]
    [DataRow(OrchestratorErrorCode.CorruptRunRecord, true, "ORCH0501")]
    [DataRow(OrchestratorErrorCode.TerminalUnavailable, false, "ORCH0900")]
    public void EachFailureHasItsCode(OrchestratorErrorCode code, bool review, string expected)
    {
        var message = MessageCatalogue.Failure(new OrchestratorException(code, "what happened."), review);
        Assert.AreEqual(expected, message.Code);
        Assert.AreEqual(OutcomeSeverity.Error, message.Severity);
        StringAssert.Contains(message.Text, "what happened.");
    }

    [TestMethod]
    public void ADoorsHintFollowsTheMessage()
    {
        var message = MessageCatalogue.Failure(new OrchestratorException(OrchestratorErrorCode.RunsRootNotWritable, "The runs root '/x' is not writable."), hint: "Set OrchestratorRunsRoot.");
        Assert.AreEqual("ORCH0002: The runs root '/x' is not writable. Set OrchestratorRunsRoot.", message.ToString());
        Assert.AreEqual("ORCH0900: The Orchestrator failed unexpectedly: boom", MessageCatalogue.Failure(new OrchestratorException(OrchestratorErrorCode.TerminalUnavailable, "boom")).ToString());
    }
}
