using Orchestrator.Core.Exec;

namespace Orchestrator.Core.Tests.Exec;

[TestClass]
[DoNotParallelize] // changes this process's environment
public sealed class EnvironmentBuilderTests
{
    private const string Name = "ORCH_ENV_BUILDER_TEST";

    [TestMethod]
    public void EachComposeSeesTheProcessEnvironmentAsItIsNow()
    {
        try
        {
            Environment.SetEnvironmentVariable(Name, "one");
            Assert.AreEqual("one", EnvironmentBuilder.Compose(null)[Name]);
            Assert.AreEqual("one", EnvironmentBuilder.Compose(null)[Name], "asked again, unchanged");

            Environment.SetEnvironmentVariable(Name, "two");
            Assert.AreEqual("two", EnvironmentBuilder.Compose(null)[Name], "a changed value");

            Environment.SetEnvironmentVariable(Name, null);
            Assert.IsFalse(EnvironmentBuilder.Compose(null).ContainsKey(Name), "a removed variable");

            Environment.SetEnvironmentVariable(Name, "three");
            Assert.AreEqual("three", EnvironmentBuilder.Compose(null)[Name], "added again");
        }
        finally
        {
            Environment.SetEnvironmentVariable(Name, null);
        }
    }

    [TestMethod]
    public void EachComposeAppliesItsOwnOverlay()
    {
        Assert.AreEqual("a", EnvironmentBuilder.Compose(new Dictionary<string, string?> { [Name] = "a" })[Name]);
        Assert.AreEqual("b", EnvironmentBuilder.Compose(new Dictionary<string, string?> { [Name] = "b" })[Name]);
        Assert.IsFalse(EnvironmentBuilder.Compose(null).ContainsKey(Name));
        Assert.IsFalse(EnvironmentBuilder.Compose(new Dictionary<string, string?> { ["PATH"] = null }).ContainsKey("PATH"), "null removes");
        Assert.AreEqual(Environment.GetEnvironmentVariable("PATH"), EnvironmentBuilder.Compose(null)["PATH"]);
    }
}
