using Orchestrator.Core.Telemetry;

namespace Orchestrator.Core.Tests.Telemetry;

[TestClass]
public sealed class TelemetrySettingsTests
{
    private const string Door = "http://door.example:4318";
    private const string Env = "http://env.example:4318";
    private const string Config = "http://config.example:4318";

    private static Func<string, string?> Variables(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value);
        return name => map.TryGetValue(name, out string? value) ? value : null;
    }

    [TestMethod]
    [DataRow(Door, Env, Config, "http://door.example:4318/", TelemetrySource.MSBuild, DisplayName = "door beats environment and configuration")]
    [DataRow(null, Env, Config, "http://env.example:4318/", TelemetrySource.Environment, DisplayName = "environment beats configuration")]
    [DataRow(null, null, Config, "http://config.example:4318/", TelemetrySource.Config, DisplayName = "configuration alone")]
    [DataRow(Door, null, Config, "http://door.example:4318/", TelemetrySource.MSBuild, DisplayName = "door beats configuration")]
    [DataRow(Door, Env, null, "http://door.example:4318/", TelemetrySource.MSBuild, DisplayName = "door beats environment")]
    [DataRow("  ", Env, Config, "http://env.example:4318/", TelemetrySource.Environment, DisplayName = "a blank door value is unset")]
    [DataRow(null, " ", Config, "http://config.example:4318/", TelemetrySource.Config, DisplayName = "a blank variable is unset")]
    public void TheFirstSourceWithAnEndpointWinsAndIsNamed(string? door, string? env, string? config, string expected, TelemetrySource source)
    {
        var environment = env is null ? Variables() : Variables((TelemetrySettings.EndpointVariable, env));

        var settings = TelemetrySettings.Resolve(door, "msbuild", environment, config);

        Assert.IsTrue(settings.Enabled);
        Assert.AreEqual(expected, settings.Endpoint!.ToString());
        Assert.AreEqual(source, settings.Source);
        Assert.AreEqual(0, settings.Warnings.Count);
    }

    [TestMethod]
    [DataRow("cli", TelemetrySource.Cli)]
    [DataRow("msbuild", TelemetrySource.MSBuild)]
    [DataRow("cake", TelemetrySource.Cake)]
    [DataRow("SDK", TelemetrySource.Sdk)]
    public void EachDoorIsRecordedAsItsOwnSource(string door, TelemetrySource expected)
    {
        var settings = TelemetrySettings.Resolve(Door, door, Variables(), null);

        Assert.AreEqual(expected, settings.Source);
    }

    [TestMethod]
    public void NoSourceMeansTelemetryIsOff()
    {
        var settings = TelemetrySettings.Resolve(null, "cli", Variables(), null);

        Assert.IsFalse(settings.Enabled);
        Assert.IsNull(settings.Endpoint);
        Assert.AreEqual(TelemetrySource.None, settings.Source);
        Assert.AreEqual(0, settings.Warnings.Count);
        Assert.AreEqual("none", TelemetryRecord.NotEnabled(settings).Source);
    }

    [TestMethod]
    public void TheDoorCanTurnTelemetryOffWhateverTheEnvironmentSays()
    {
        var settings = TelemetrySettings.Resolve("OFF", "cli", Variables((TelemetrySettings.EndpointVariable, Env)), Config);

        Assert.IsFalse(settings.Enabled);
        Assert.AreEqual(TelemetrySource.Cli, settings.Source);
    }

    [TestMethod]
    [DataRow("not a url", "is not an absolute URL")]
    [DataRow("localhost:4318", "scheme 'localhost' is not http or https")]
    [DataRow("ftp://collector:21", "scheme 'ftp' is not http or https")]
    [DataRow("/var/run/otel.sock", "is not an absolute URL")]
    [DataRow("http://", "is not an absolute URL")]
    public void AMalformedEndpointTurnsTelemetryOffWithAWarningAndDoesNotFallThrough(string value, string problem)
    {
        var settings = TelemetrySettings.Resolve(value, "cli", Variables((TelemetrySettings.EndpointVariable, Env)), Config);

        Assert.IsFalse(settings.Enabled, "an endpoint the caller named but that cannot be used must not silently become another one");
        Assert.AreEqual(TelemetrySource.Cli, settings.Source);
        Assert.AreEqual(1, settings.Warnings.Count);
        Assert.AreEqual("TelemetryEndpointInvalid", settings.Warnings[0].Code);
        StringAssert.Contains(settings.Warnings[0].Message, "Telemetry is off");
        StringAssert.Contains(settings.Warnings[0].Message, "--otel-endpoint");
        StringAssert.Contains(settings.Warnings[0].Message, problem);
    }

    [TestMethod]
    public void AMalformedEnvironmentOrConfigurationEndpointIsNamedInTheWarning()
    {
        var fromEnvironment = TelemetrySettings.Resolve(null, "sdk", Variables((TelemetrySettings.EndpointVariable, "collector:4318")), Config);
        var fromConfig = TelemetrySettings.Resolve(null, "sdk", Variables(), "grpc://collector");

        StringAssert.Contains(fromEnvironment.Warnings.Single().Message, "environment variable OTEL_EXPORTER_OTLP_ENDPOINT");
        Assert.AreEqual(TelemetrySource.Environment, fromEnvironment.Source);
        StringAssert.Contains(fromConfig.Warnings.Single().Message, "configuration 'telemetry.endpoint'");
        Assert.AreEqual(TelemetrySource.Config, fromConfig.Source);
        Assert.IsFalse(fromEnvironment.Enabled || fromConfig.Enabled);
    }

    [TestMethod]
    public void AWarningAboutAMalformedEndpointShowsNoCredentials()
    {
        var settings = TelemetrySettings.Resolve("user:hunter22@collector:4318/?api_key=s3cret", "cli", Variables(), null);

        string message = settings.Warnings.Single().Message;
        Assert.IsFalse(message.Contains("hunter22", StringComparison.Ordinal), message);
        Assert.IsFalse(message.Contains("s3cret", StringComparison.Ordinal), message);
        StringAssert.Contains(message, "***@collector:4318");
    }

    [TestMethod]
    public void HeadersComeOnlyWithTheEnvironmentsOwnEndpoint()
    {
        var environment = Variables((TelemetrySettings.EndpointVariable, Env), (TelemetrySettings.HeadersVariable, "x-api-key=abc%20def,tenant=ci"));

        var fromEnvironment = TelemetrySettings.Resolve(null, "cli", environment, null);
        var fromDoor = TelemetrySettings.Resolve(Door, "cli", environment, null);

        CollectionAssert.AreEqual(new[] { "x-api-key", "tenant" }, fromEnvironment.Headers.Names.ToArray());
        Assert.AreEqual("abc def", fromEnvironment.Headers.Pairs[0].Value, "values are percent-decoded");
        Assert.AreEqual(0, fromDoor.Headers.Count, "the CI's credentials must not go to an endpoint the door named");
    }

    [TestMethod]
    public void UnreadableHeadersTurnTelemetryOffAndTheWarningHidesTheirValues()
    {
        var environment = Variables((TelemetrySettings.EndpointVariable, Env), (TelemetrySettings.HeadersVariable, "authorization=Bearer s3cret,Bearer-only-s3cret"));

        var settings = TelemetrySettings.Resolve(null, "cli", environment, null);

        Assert.IsFalse(settings.Enabled);
        Assert.AreEqual("TelemetryHeadersInvalid", settings.Warnings.Single().Code);
        Assert.IsFalse(settings.Warnings[0].Message.Contains("s3cret", StringComparison.Ordinal), settings.Warnings[0].Message);
        StringAssert.Contains(settings.Warnings[0].Message, "item 2");
    }

    [TestMethod]
    [DataRow(null, TelemetryProtocol.HttpProtobuf, 0)]
    [DataRow("grpc", TelemetryProtocol.Grpc, 0)]
    [DataRow("http/protobuf", TelemetryProtocol.HttpProtobuf, 0)]
    [DataRow("http/json", TelemetryProtocol.HttpProtobuf, 1)]
    public void TheProtocolVariableAppliesToWhicheverEndpointWins(string? protocol, TelemetryProtocol expected, int warnings)
    {
        var environment = protocol is null ? Variables() : Variables((TelemetrySettings.ProtocolVariable, protocol));

        var settings = TelemetrySettings.Resolve(Door, "cake", environment, null);

        Assert.AreEqual(expected, settings.Protocol);
        Assert.AreEqual(warnings, settings.Warnings.Count);
    }

    [TestMethod]
    public void TheEndpointIsShownWithoutCredentialsAndWithSecretQueryValuesMasked()
    {
        var settings = TelemetrySettings.Resolve("https://ci:hunter22@otel.example.com:4318/otlp?api_key=s3cret&region=eu", "sdk", Variables(), null);

        Assert.AreEqual("https://otel.example.com:4318/otlp?api_key=***&region=eu", settings.DisplayEndpoint);
        string text = settings.ToString();
        Assert.IsFalse(text.Contains("hunter22", StringComparison.Ordinal) || text.Contains("s3cret", StringComparison.Ordinal), text);
    }

    [TestMethod]
    public void PrintingTheSettingsNeverShowsHeaderValues()
    {
        var environment = Variables((TelemetrySettings.EndpointVariable, Env), (TelemetrySettings.HeadersVariable, "authorization=Bearer s3cret"));

        var settings = TelemetrySettings.Resolve(null, "cli", environment, null);

        StringAssert.Contains(settings.ToString(), "authorization=***");
        Assert.IsFalse(settings.ToString().Contains("s3cret", StringComparison.Ordinal));
    }

    [TestMethod]
    public void AnUnknownDoorIsAProgrammingError()
    {
        Assert.ThrowsExactly<ArgumentException>(() => TelemetrySettings.Resolve(Door, "jenkins", Variables(), null));
    }
}
