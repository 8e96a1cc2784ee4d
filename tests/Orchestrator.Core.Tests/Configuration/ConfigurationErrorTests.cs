using Orchestrator.Core.Configuration;

namespace Orchestrator.Core.Tests.Configuration;

/// <summary>Each kind of mistake is reported at the line and column of the node it is about, compiler style.</summary>
[TestClass]
public sealed class ConfigurationErrorTests
{
    private const string TopKeys = "taskId, runsRoot, approvalPolicy, sandbox, retries, approvals, secrets, output, notify, telemetry, pipelines, guardrails, specGuard";

    private static (ConfigurationException Error, string Path) ReadError(string yaml, string? home = "/home/tester")
    {
        using var temp = new Support.TempDirectory("orch-config-error");
        string path = Path.Combine(temp.Path, ConfigurationLoader.RepoFileName);
        File.WriteAllText(path, yaml);
        var error = Assert.ThrowsExactly<ConfigurationException>(() => ConfigurationLoader.ReadFile(path, home));
        return (error, path);
    }

    private static ConfigurationException AssertErrorAt(string yaml, int line, int column, string expectedReason)
    {
        var (error, path) = ReadError(yaml);
        Assert.AreEqual(path, error.FilePath);
        Assert.AreEqual(line, error.Line, error.Message);
        Assert.AreEqual(column, error.Column, error.Message);
        Assert.Contains(expectedReason, error.Reason);
        Assert.AreEqual($"{path}:{line}:{column}: {error.Reason}", error.Message);
        return error;
    }

    [TestMethod]
    public void MessageLeadsWithFileLineAndColumnLikeACompiler()
    {
        var (error, path) = ReadError("taskId: a\nsandbx:\n  mode: read-only\n");

        Assert.AreEqual($"{path}:2:1: unknown key 'sandbx' (expected one of: {TopKeys})", error.Message);
        Assert.IsNull(error.EnvironmentVariable);
        Assert.IsNull(error.Setting);
    }

    [TestMethod]
    public void TabIndentationIsReportedAtTheTab()
    {
        AssertErrorAt("sandbox:\n\tmode: read-only\n", 2, 1, "a tab character is used for indentation");
        AssertErrorAt("sandbox:\n  mode: read-only\n\tnetwork: true\n", 3, 1, "a tab character is used for indentation");
    }

    [TestMethod]
    public void OtherSyntaxErrorsUseTheParsersPosition()
    {
        var error = AssertErrorAt("approvalPolicy: 'never\n", 1, 17, "invalid YAML: ");
        Assert.IsInstanceOfType<YamlDotNet.Core.YamlException>(error.InnerException);
    }

    [TestMethod]
    public void DuplicateKeyIsReportedAtTheSecondOccurrenceNamingTheFirst()
    {
        AssertErrorAt("taskId: a\nrunsRoot: x\ntaskId: b\n", 3, 1, "duplicate key 'taskId' (first set at 1:1)");
        AssertErrorAt("sandbox:\n  mode: read-only\n  mode: danger-full-access\n", 3, 3, "duplicate key 'mode' (first set at 2:3)");
    }

    [TestMethod]
    public void UnknownNestedKeyNamesItsSectionAndTheValidKeys()
    {
        AssertErrorAt(
            "retries:\n  maxAttempts: 2\n  backoff: 3\n",
            3,
            3,
            "unknown key 'backoff' in 'retries' (expected one of: maxAttempts, initialDelayMs, maxDelayMs, transientExitCodes, transientOutputPatterns)");
        AssertErrorAt(
            "approvals:\n  rules:\n    - prefix: [make]\n      action: run\n      scop: task\n",
            5,
            7,
            "unknown key 'scop' in 'approvals.rules[0]' (expected one of: prefix, action, scope, reason)");
    }

    [TestMethod]
    public void UnknownApprovalPolicyListsTheValidOnes()
    {
        AssertErrorAt(
            "approvalPolicy: sometimes\n",
            1,
            17,
            "invalid value 'sometimes' for 'approvalPolicy' (expected one of: untrusted, on-failure, on-request, never)");
    }

    [TestMethod]
    public void UnknownSandboxModeListsTheValidOnes()
    {
        AssertErrorAt(
            "sandbox:\n  mode: sandboxed\n",
            2,
            9,
            "invalid value 'sandboxed' for 'sandbox.mode' (expected one of: read-only, workspace-write, danger-full-access)");
    }

    [TestMethod]
    public void UnknownRuleActionAndScopeListTheValidOnes()
    {
        AssertErrorAt("approvals:\n  rules:\n    - prefix: [make]\n      action: allow\n", 4, 15, "(expected one of: escalate, run)");
        AssertErrorAt(
            "approvals:\n  rules:\n    - prefix: [make]\n      action: run\n      scope: once\n",
            5,
            14,
            "invalid value 'once' for 'approvals.rules[0].scope' (expected one of: run, task, persistent)");
    }

    [TestMethod]
    public void WrongTypesSayWhatWasExpectedAndWhatWasFound()
    {
        AssertErrorAt(
            "sandbox:\n  writableRoots: /var/cache\n",
            2,
            18,
            "expected a list of paths for 'sandbox.writableRoots', got the string '/var/cache'");
        AssertErrorAt("sandbox: strict\n", 1, 10, "expected a mapping at 'sandbox', got the string 'strict'");
        AssertErrorAt("sandbox:\n  network: yes\n", 2, 12, "expected true or false for 'sandbox.network', got the string 'yes'");
        AssertErrorAt("retries:\n  maxAttempts: \"3\"\n", 2, 16, "expected an integer for 'retries.maxAttempts', got the string '3'");
        AssertErrorAt("retries:\n  maxAttempts: 2.5\n", 2, 16, "expected an integer for 'retries.maxAttempts', got the number 2.5");
        AssertErrorAt("secrets:\n  env: [A_B, {b: 1}]\n", 2, 14, "expected a list of variable names for 'secrets.env', got a mapping");
        AssertErrorAt("taskId: [a, b]\n", 1, 9, "expected a string for 'taskId', got a list");
        AssertErrorAt("- taskId\n", 1, 1, "expected a mapping at the top level, got a list");
    }

    [TestMethod]
    [DataRow("21", "'retries.maxAttempts' must be between 1 and 20, got 21")]
    [DataRow("0", "'retries.maxAttempts' must be between 1 and 20, got 0")]
    [DataRow("99999999999999999999999", "'retries.maxAttempts' must be between 1 and 20, got 99999999999999999999999")]
    public void OutOfRangeMaxAttemptsIsRejectedWithTheRange(string value, string expected)
    {
        AssertErrorAt($"retries:\n  maxAttempts: {value}\n", 2, 16, expected);
    }

    [TestMethod]
    public void OtherRangesAreEnforced()
    {
        AssertErrorAt("output:\n  captureBytes: 1\n", 2, 17, "'output.captureBytes' must be at least 2, got 1");
        AssertErrorAt("output:\n  eventBudgetBytes: -1\n", 2, 21, "'output.eventBudgetBytes' must be at least 0, got -1");
        AssertErrorAt("retries:\n  transientExitCodes: [75, 0]\n", 2, 28, "'retries.transientExitCodes' must be between 1 and 255, got 0");
        AssertErrorAt("retries:\n  initialDelayMs: -5\n", 2, 19, "'retries.initialDelayMs' must be at least 0, got -5");
    }

    [TestMethod]
    public void InvalidRegexIsReportedAtThePattern()
    {
        AssertErrorAt(
            "retries:\n  transientOutputPatterns:\n    - ok\n    - \"(unclosed\"\n",
            4,
            7,
            "'retries.transientOutputPatterns': invalid regular expression '(unclosed'");
        AssertErrorAt("secrets:\n  patterns: ['[a-']\n", 2, 14, "invalid regular expression '[a-'");
    }

    [TestMethod]
    public void InvalidTaskIdIsRejectedWithTheRule()
    {
        AssertErrorAt("taskId: ../escape\n", 1, 9, "'taskId': invalid task id '../escape': '/' is not allowed");
        AssertErrorAt("taskId: '..'\n", 1, 9, "'.' and '..' are not task ids");
    }

    [TestMethod]
    public void SecondDocumentIsRejectedAtItsMarker()
    {
        AssertErrorAt("taskId: a\n---\ntaskId: b\n", 2, 1, "a second YAML document ('---') is not allowed");
    }

    [TestMethod]
    public void RuleWithoutPrefixOrActionIsRejectedAtTheRule()
    {
        AssertErrorAt("approvals:\n  rules:\n    - action: run\n", 3, 7, "'approvals.rules[0]' is missing 'prefix'");
        AssertErrorAt("approvals:\n  rules:\n    - prefix: make\n", 3, 7, "'approvals.rules[0]' is missing 'action' (expected one of: escalate, run)");
        AssertErrorAt("approvals:\n  rules:\n    - prefix: []\n      action: run\n", 3, 15, "'approvals.rules[0].prefix' must name at least one argument");
    }

    [TestMethod]
    public void BadPathsAreRejected()
    {
        AssertErrorAt("runsRoot: ~bob/runs\n", 1, 11, "only '~' and '~/...' are expanded");
        AssertErrorAt("runsRoot: ''\n", 1, 11, "a path cannot be empty");
        var (error, _) = ReadError("sandbox:\n  writableRoots: [~/cache]\n", home: null);
        Assert.Contains("HOME is not set", error.Message);
    }

    [TestMethod]
    public void SecretEnvNamesMustBeVariableNames()
    {
        AssertErrorAt("secrets:\n  env: [GOOD, 'not a name']\n", 2, 15, "'not a name' is not an environment variable name");
    }

    [TestMethod]
    public void TagsOtherThanStrAreRejected()
    {
        AssertErrorAt("taskId: !custom x\n", 1, 9, "the YAML tag '!custom' is not supported here");
    }

    [TestMethod]
    public void InvalidUtf8IsRejectedNamingTheFile()
    {
        using var temp = new Support.TempDirectory("orch-config-error");
        string path = Path.Combine(temp.Path, ConfigurationLoader.RepoFileName);
        File.WriteAllBytes(path, [(byte)'t', (byte)':', (byte)' ', 0xFF, 0xFE, (byte)'\n']);

        var error = Assert.ThrowsExactly<ConfigurationException>(() => ConfigurationLoader.ReadFile(path, null));

        Assert.AreEqual($"{path}: is not valid UTF-8", error.Message);
        Assert.IsNull(error.Line);
    }
}
