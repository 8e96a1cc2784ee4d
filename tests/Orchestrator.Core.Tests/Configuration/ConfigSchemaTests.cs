using System.Text.RegularExpressions;
using Orchestrator.Core.Configuration;
using Orchestrator.Core.Schemas;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Configuration;

[TestClass]
public sealed partial class ConfigSchemaTests
{
    private static readonly Lazy<JsonSchemaValidator> Schema = new(() =>
        JsonSchemaValidator.LoadFromDirectory(RunFiles.SchemaDirectory, "config.json"));

    [TestMethod]
    public void SchemaAcceptsTheFullExample()
    {
        var result = Schema.Value.Validate(YamlToJson.Convert(ConfigSamples.Full));
        Assert.IsTrue(result.IsValid, result.ToString());
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("sandbox:\nretries:\n  maxAttempts:\n")]
    [DataRow("approvals:\n  safeCommands: [[make, -n], terraform plan]\n  rules:\n    - prefix: npm ci\n      action: run\n      scope: task\n")]
    public void SchemaAcceptsEmptyAndPartialFiles(string yaml)
    {
        var result = Schema.Value.Validate(YamlToJson.Convert(yaml));
        Assert.IsTrue(result.IsValid, result.ToString());
    }

    [TestMethod]
    public void SchemaRejectsAnUnknownKey()
    {
        var result = Schema.Value.Validate(YamlToJson.Convert("taskId: a\nsandbox:\n  mode: read-only\n  netwrk: true\n"));

        var error = Assert.ContainsSingle(result.Errors, result.ToString());
        Assert.AreEqual("/sandbox/netwrk", error.InstancePath);
    }

    [TestMethod]
    [DataRow("approvalPolicy: sometimes\n", "/approvalPolicy")]
    [DataRow("retries:\n  maxAttempts: 21\n", "/retries/maxAttempts")]
    [DataRow("taskId: ../x\n", "/taskId")]
    [DataRow("approvals:\n  rules:\n    - prefix: [make]\n", "/approvals/rules/0")]
    [DataRow("secrets:\n  env: [\"not a name\"]\n", "/secrets/env/0")]
    [DataRow("output:\n  captureBytes: 1\n", "/output/captureBytes")]
    public void SchemaRejectsWhatTheLoaderRejects(string yaml, string instancePath)
    {
        var result = Schema.Value.Validate(YamlToJson.Convert(yaml));

        Assert.IsFalse(result.IsValid);
        Assert.IsTrue(result.Errors.Any(e => e.InstancePath == instancePath), result.ToString());
        using var temp = new TempDirectory("orch-config-schema");
        string path = Path.Combine(temp.Path, "orchestrator.yaml");
        File.WriteAllText(path, yaml);
        Assert.ThrowsExactly<ConfigurationException>(() => ConfigurationLoader.ReadFile(path, "/home/tester"));
    }

    /// <summary>The guide's complete example must stay loadable and schema-valid.</summary>
    [TestMethod]
    public void GuideExamplesLoadAndValidate()
    {
        string guide = File.ReadAllText(FindRepositoryFile("docs", "configuration.md"));
        var blocks = YamlBlock().Matches(guide).Select(m => m.Groups["yaml"].Value).ToList();
        Assert.IsNotEmpty(blocks, "docs/configuration.md has no yaml blocks");

        using var temp = new TempDirectory("orch-config-guide");
        foreach (string yaml in blocks)
        {
            string path = Path.Combine(temp.Path, "orchestrator.yaml");
            File.WriteAllText(path, yaml);
            ConfigurationLoader.ReadFile(path, "/home/tester");
            var result = Schema.Value.Validate(YamlToJson.Convert(yaml));
            Assert.IsTrue(result.IsValid, $"{result}\n{yaml}");
        }
    }

    private static string FindRepositoryFile(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine([dir.FullName, .. parts]);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new AssertFailedException($"{Path.Combine(parts)} not found above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"^```yaml\n(?<yaml>.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex YamlBlock();
}
