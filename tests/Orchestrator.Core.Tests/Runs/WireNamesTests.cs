using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Tests.Runs;

[TestClass]
public sealed class WireNamesTests
{
    private enum Plain : byte
    {
        First = 1,
        Alias = 1,
        Second = 2,
    }

    [TestMethod]
    public void MembersAreNamedByTheirJsonNameAttribute()
    {
        Assert.AreEqual("in_progress", WireNames.Of(RunStatus.InProgress));
        Assert.AreEqual("on-failure", WireNames.Of(ApprovalPolicy.OnFailure));
        Assert.AreEqual("workspace-write", WireNames.Of(SandboxMode.WorkspaceWrite));
    }

    [TestMethod]
    public void MembersWithoutTheAttributeKeepTheirOwnNameAndAnAliasTheFirstOne()
    {
        Assert.AreEqual("First", WireNames.Of(Plain.Alias));
        Assert.AreEqual("Second", WireNames.Of(Plain.Second));
    }

    [TestMethod]
    public void AnUndefinedValueIsWrittenAsItsNumber()
    {
        Assert.AreEqual("42", WireNames.Of((Plain)42));
        Assert.AreEqual("-3", WireNames.Of((RunStatus)(-3)));
    }
}
