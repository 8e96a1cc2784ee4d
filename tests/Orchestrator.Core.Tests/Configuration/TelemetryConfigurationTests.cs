using Orchestrator.Core.Configuration;

namespace Orchestrator.Core.Tests.Configuration;

/// <summary>The <c>telemetry:</c> section: read with its location, repo over user, strict about its shape.</summary>
[TestClass]
public sealed class TelemetryConfigurationTests
{
    [TestMethod]
    public void TheRepoEndpointBeatsTheUsersAndKeepsItsLocation()
    {
        using var ws = new ConfigWorkspace();
        string repo = ws.WriteRepo("taskId: t\ntelemetry:\n  endpoint: http://127.0.0.1:4318\n");
        ws.WriteUser("telemetry:\n  endpoint: https://user.example.com\n");

        var endpoint = ws.Resolve().TelemetryEndpoint;

        Assert.AreEqual("http://127.0.0.1:4318", endpoint.Value);
        Assert.AreEqual(SettingSource.Repo, endpoint.Source);
        Assert.AreEqual(new ConfigLocation(repo, 3, 13), endpoint.Location);
    }

    [TestMethod]
    public void TheUsersEndpointAppliesWhenTheRepoSetsNoneAndNothingMeansEmpty()
    {
        using var ws = new ConfigWorkspace();
        Assert.AreEqual(SettingSource.Default, ws.Resolve().TelemetryEndpoint.Source);
        Assert.AreEqual("", ws.Resolve().TelemetryEndpoint.Value);

        ws.WriteUser("telemetry:\n  endpoint: https://user.example.com\n");
        var endpoint = ws.Resolve().TelemetryEndpoint;

        Assert.AreEqual(SettingSource.User, endpoint.Source);
        Assert.AreEqual("https://user.example.com", endpoint.Value);
    }

    [TestMethod]
    public void AMalformedUrlIsNotAConfigurationErrorTheRunWarnsInstead()
    {
        using var ws = new ConfigWorkspace();
        ws.WriteRepo("telemetry:\n  endpoint: collector:4318\n");

        Assert.AreEqual("collector:4318", ws.Resolve().TelemetryEndpoint.Value, "TelemetrySettings.Resolve turns it into a warning at run start");
    }

    [TestMethod]
    [DataRow("telemetry:\n  endpont: http://x\n", "unknown key 'endpont' in 'telemetry' (expected one of: endpoint)")]
    [DataRow("telemetry:\n  endpoint: [http://x]\n", "expected a string for 'telemetry.endpoint'")]
    [DataRow("telemetry: http://x\n", "telemetry")]
    public void AWronglyShapedSectionIsAnErrorWithItsLocation(string yaml, string reason)
    {
        using var ws = new ConfigWorkspace();
        string path = ws.WriteRepo(yaml);

        var error = Assert.ThrowsExactly<ConfigurationException>(() => ws.Load());

        StringAssert.StartsWith(error.Message, path + ":");
        StringAssert.Contains(error.Message, reason);
    }
}
