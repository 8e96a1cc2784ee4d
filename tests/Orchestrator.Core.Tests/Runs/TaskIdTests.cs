using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Tests.Runs;

[TestClass]
public sealed class TaskIdTests
{
    [TestMethod]
    [DataRow("0303-orchestrator-autonomy")]
    [DataRow("a")]
    [DataRow("v1.2_x-y")]
    [DataRow("..a")]
    public void ValidTaskIdsAreAccepted(string value) => Assert.AreEqual(value, TaskId.Validate(value));

    [TestMethod]
    [DataRow("", "empty")]
    [DataRow(".", "'.' and '..'")]
    [DataRow("..", "'.' and '..'")]
    [DataRow("../../etc", "'/'")]
    [DataRow("a/b", "'/'")]
    [DataRow("a\\b", "'\\'")]
    [DataRow("with space", "' '")]
    [DataRow("tab\there", "U+0009")]
    public void InvalidTaskIdsAreRejectedNamingTheRule(string value, string expectedFragment)
    {
        var ex = Assert.ThrowsExactly<OrchestratorException>(() => TaskId.Validate(value));
        Assert.AreEqual(OrchestratorErrorCode.InvalidTaskId, ex.Code);
        StringAssert.Contains(ex.Message, expectedFragment);
    }

    [TestMethod]
    public void OverlongTaskIdIsRejected()
    {
        var ex = Assert.ThrowsExactly<OrchestratorException>(() => TaskId.Validate(new string('a', 65)));
        StringAssert.Contains(ex.Message, "at most 64");
        Assert.AreEqual(new string('a', 64), TaskId.Validate(new string('a', 64)));
    }

    [TestMethod]
    public void ExplicitBeatsEnvironmentBeatsConfigBeatsDefault()
    {
        static string? Env(string name) => name == TaskId.EnvironmentVariable ? "from-env" : null;
        static string? NoEnv(string name) => null;

        Assert.AreEqual("explicit", TaskId.Resolve("explicit", Env, "from-config"));
        Assert.AreEqual("from-env", TaskId.Resolve(null, Env, "from-config"));
        Assert.AreEqual("from-config", TaskId.Resolve(null, NoEnv, "from-config"));
        Assert.AreEqual(TaskId.Default, TaskId.Resolve(null, NoEnv));
    }

    [TestMethod]
    public void AnInvalidEnvironmentTaskIdIsRejectedToo()
    {
        Assert.ThrowsExactly<OrchestratorException>(() => TaskId.Resolve(null, _ => "../x"));
    }
}
