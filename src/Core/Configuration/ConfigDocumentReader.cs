using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using Orchestrator.Core.Orchestration.Approvals;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Core.Configuration;

/// <summary>
/// Maps a YAML node tree onto <see cref="OrchestratorConfig"/> by hand, so that each error names
/// the node it is about. Plain scalars are typed as in YAML 1.2's core schema (what a JSON Schema
/// check of the same file sees), except that a string setting takes any scalar's text as written:
/// <c>taskId: 0303</c> stays "0303".
/// </summary>
internal sealed partial class ConfigDocumentReader(string filePath, string? homeDirectory)
{
    private static readonly string[] TopKeys = ["taskId", "runsRoot", "approvalPolicy", "sandbox", "retries", "approvals", "secrets", "output", "notify", "telemetry", "pipelines", "guardrails", "specGuard"];
    private static readonly string[] SandboxKeys = ["mode", "network", "writableRoots", "protectGit", "maxProcesses", "maxMemoryBytes"];
    private static readonly string[] RetriesKeys = ["maxAttempts", "initialDelayMs", "maxDelayMs", "transientExitCodes", "transientOutputPatterns"];
    private static readonly string[] ApprovalsKeys = ["rules", "safeCommands", "cacheFile"];
    private static readonly string[] RuleKeys = ["prefix", "action", "scope", "reason"];
    private static readonly string[] SecretsKeys = ["env", "patterns"];
    private static readonly string[] OutputKeys = ["eventBudgetBytes", "captureBytes"];
    private static readonly string[] TelemetryKeys = ["endpoint"];

    private const string StringTag = "tag:yaml.org,2002:str";

    private readonly string _directory = Path.GetDirectoryName(filePath) ?? "/";

    private enum ScalarKind
    {
        Null,
        Boolean,
        Integer,
        Number,
        String,
    }

    public OrchestratorConfig ReadRoot(YamlNode root)
    {
        if (IsNull(root))
        {
            return OrchestratorConfig.Empty;
        }

        var config = OrchestratorConfig.Empty;
        foreach (var (key, value) in Entries(root, "", TopKeys))
        {
            config = key switch
            {
                "taskId" => config with { TaskId = ReadTaskId(value, key) },
                "runsRoot" => config with { RunsRoot = ReadPath(value, key) },
                "approvalPolicy" => config with { ApprovalPolicy = ReadEnum(value, key, SettingRules.Policies) },
                "sandbox" => config with { Sandbox = ReadSandbox(value, key) },
                "retries" => config with { Retries = ReadRetries(value, key) },
                "approvals" => config with { Approvals = ReadApprovals(value, key) },
                "secrets" => config with { Secrets = ReadSecrets(value, key) },
                "notify" => config with { Notify = ReadList(value, key, "a list of notification targets", (item, i) => ReadNotifyTarget(item, $"{key}[{i}]")) },
                "telemetry" => config with { Telemetry = ReadTelemetry(value, key) },
                "pipelines" => config with { Pipelines = ReadPipelines(value, key) },
                "guardrails" => config with { Guardrails = ReadPipeline(value, key, Pipelines.PipelineDefinition.GuardrailsName) },
                "specGuard" => config with { SpecGuard = ReadSpecGuard(value, key) },
                _ => config with { Output = ReadOutput(value, key) },
            };
        }

        return config;
    }

    private SandboxConfig ReadSandbox(YamlNode node, string path)
    {
        var sandbox = SandboxConfig.Empty;
        foreach (var (key, value) in Entries(node, path, SandboxKeys))
        {
            string keyPath = $"{path}.{key}";
            sandbox = key switch
            {
                "mode" => sandbox with { Mode = ReadEnum(value, keyPath, SettingRules.SandboxModes) },
                "network" => sandbox with { Network = ReadBoolean(value, keyPath) },
                "writableRoots" => sandbox with { WritableRoots = ReadList(value, keyPath, "a list of paths", (item, _) => ResolvePath(item, keyPath)) },
                "maxProcesses" => sandbox with { MaxProcesses = ReadInt32(value, keyPath, 0, SettingRules.MaxSandboxProcesses) },
                "maxMemoryBytes" => sandbox with { MaxMemoryBytes = Located(value, ReadIntegerValue(value, keyPath, 0, long.MaxValue)) },
                _ => sandbox with { ProtectGit = ReadBoolean(value, keyPath) },
            };
        }

        return sandbox;
    }

    private RetriesConfig ReadRetries(YamlNode node, string path)
    {
        var retries = RetriesConfig.Empty;
        foreach (var (key, value) in Entries(node, path, RetriesKeys))
        {
            string keyPath = $"{path}.{key}";
            retries = key switch
            {
                "maxAttempts" => retries with { MaxAttempts = ReadInt32(value, keyPath, SettingRules.MinAttempts, SettingRules.MaxAttempts) },
                "initialDelayMs" => retries with { InitialDelayMs = ReadInt32(value, keyPath, 0, int.MaxValue) },
                "maxDelayMs" => retries with { MaxDelayMs = ReadInt32(value, keyPath, 0, int.MaxValue) },
                "transientExitCodes" => retries with
                {
                    TransientExitCodes = ReadList(value, keyPath, "a list of exit codes", (item, _) =>
                        (int)ReadIntegerValue(item, keyPath, SettingRules.MinExitCode, SettingRules.MaxExitCode)),
                },
                _ => retries with { TransientOutputPatterns = ReadList(value, keyPath, "a list of regular expressions", (item, _) => ReadRegex(item, keyPath)) },
            };
        }

        return retries;
    }

    private ApprovalsConfig ReadApprovals(YamlNode node, string path)
    {
        var approvals = ApprovalsConfig.Empty;
        foreach (var (key, value) in Entries(node, path, ApprovalsKeys))
        {
            string keyPath = $"{path}.{key}";
            approvals = key switch
            {
                "rules" => approvals with
                {
                    Rules = ReadList(value, keyPath, "a list of rules", (item, i) => new ConfigValue<ApprovalRule>(ReadRule(item, $"{keyPath}[{i}]"), Location(item))).Value,
                },
                "safeCommands" => approvals with
                {
                    SafeCommands = ReadList(value, keyPath, "a list of commands", (item, i) => ReadArgvPrefix(item, $"{keyPath}[{i}]")),
                },
                _ => approvals with { CacheFile = ReadPath(value, keyPath) },
            };
        }

        return approvals;
    }

    private ApprovalRule ReadRule(YamlNode node, string path)
    {
        ImmutableArray<string>? prefix = null;
        ApprovalAction? action = null;
        ApprovalScope scope = ApprovalScope.Persistent;
        string? reason = null;
        foreach (var (key, value) in Entries(node, path, RuleKeys))
        {
            string keyPath = $"{path}.{key}";
            switch (key)
            {
                case "prefix":
                    prefix = ReadArgvPrefix(value, keyPath);
                    break;
                case "action":
                    action = ReadEnum(value, keyPath, SettingRules.RuleActions).Value;
                    break;
                case "scope":
                    scope = ReadEnum(value, keyPath, SettingRules.RuleScopes).Value;
                    break;
                default:
                    reason = ReadString(value, keyPath).Value;
                    break;
            }
        }

        if (prefix is null)
        {
            throw Error(node, $"'{path}' is missing 'prefix' (the argv prefix it pre-approves, e.g. [dotnet, restore])");
        }

        if (action is null)
        {
            throw Error(node, $"'{path}' is missing 'action' (expected one of: {SettingRules.RuleActions.Expected})");
        }

        return new ApprovalRule(prefix.Value, action.Value, scope, reason);
    }

    private SecretsConfig ReadSecrets(YamlNode node, string path)
    {
        var secrets = SecretsConfig.Empty;
        foreach (var (key, value) in Entries(node, path, SecretsKeys))
        {
            string keyPath = $"{path}.{key}";
            secrets = key == "env"
                ? secrets with { Env = ReadList(value, keyPath, "a list of variable names", (item, _) => Located(item, ReadVariableName(item, keyPath))).Value }
                : secrets with { Patterns = ReadList(value, keyPath, "a list of regular expressions", (item, _) => Located(item, ReadRegex(item, keyPath))).Value };
        }

        return secrets;
    }

    private OutputConfig ReadOutput(YamlNode node, string path)
    {
        var output = OutputConfig.Empty;
        foreach (var (key, value) in Entries(node, path, OutputKeys))
        {
            string keyPath = $"{path}.{key}";
            output = key == "eventBudgetBytes"
                ? output with { EventBudgetBytes = Located(value, ReadIntegerValue(value, keyPath, 0, long.MaxValue)) }
                : output with { CaptureBytes = ReadInt32(value, keyPath, SettingRules.MinCaptureBytes, int.MaxValue) };
        }

        return output;
    }

    private TelemetryConfig ReadTelemetry(YamlNode node, string path)
    {
        var telemetry = TelemetryConfig.Empty;
        foreach (var (_, value) in Entries(node, path, TelemetryKeys))
        {
            telemetry = telemetry with { Endpoint = ReadString(value, $"{path}.endpoint") };
        }

        return telemetry;
    }

    // ---- mappings ----

    /// <summary>The entries of a mapping whose values are set (null means "not set"), after refusing unknown and non-string keys.</summary>
    private IEnumerable<(string Key, YamlNode Value)> Entries(YamlNode node, string path, string[] validKeys)
    {
        if (node is not YamlMappingNode mapping)
        {
            string what = path.Length == 0 ? "the top level" : $"'{path}'";
            throw Error(node, $"expected a mapping at {what}, got {Describe(node)}");
        }

        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key } || Kind(keyNode) == ScalarKind.Null)
            {
                throw Error(keyNode, $"a key must be a plain name, got {Describe(keyNode)}");
            }

            if (!validKeys.Contains(key, StringComparer.Ordinal))
            {
                string where = path.Length == 0 ? "" : $" in '{path}'";
                throw Error(keyNode, $"unknown key '{key}'{where} (expected one of: {string.Join(", ", validKeys)})");
            }

            if (!IsNull(value))
            {
                yield return (key, value);
            }
        }
    }

    // ---- lists ----

    private ConfigValue<ImmutableArray<T>> ReadList<T>(YamlNode node, string path, string expected, Func<YamlNode, int, T> readItem)
    {
        if (node is not YamlSequenceNode sequence)
        {
            throw Error(node, $"expected {expected} for '{path}', got {Describe(node)}");
        }

        var items = ImmutableArray.CreateBuilder<T>(sequence.Children.Count);
        for (int i = 0; i < sequence.Children.Count; i++)
        {
            items.Add(readItem(sequence.Children[i], i));
        }

        return Located(node, items.MoveToImmutable());
    }

    /// <summary>An argv prefix written as a list (<c>[make, -n]</c>) or as one line split on whitespace (<c>make -n</c>).</summary>
    private ImmutableArray<string> ReadArgvPrefix(YamlNode node, string path)
    {
        ImmutableArray<string> tokens;
        if (node is YamlSequenceNode sequence)
        {
            tokens = [.. sequence.Children.Select(item =>
            {
                string token = ReadStringValue(item, path, "a list of strings or a command line");
                return token.Length > 0 ? token : throw Error(item, $"'{path}' has an empty argument");
            })];
        }
        else if (node is YamlScalarNode && Kind(node) != ScalarKind.Null)
        {
            tokens = [.. Whitespace().Split(((YamlScalarNode)node).Value!).Where(t => t.Length > 0)];
        }
        else
        {
            throw Error(node, $"expected a list of strings or a command line for '{path}', got {Describe(node)}");
        }

        return tokens.IsEmpty ? throw Error(node, $"'{path}' must name at least one argument") : tokens;
    }

    // ---- scalars ----

    private ConfigValue<string> ReadString(YamlNode node, string path) => Located(node, ReadStringValue(node, path, "a string"));

    private string ReadStringValue(YamlNode node, string path, string expected)
    {
        if (node is YamlScalarNode scalar && Kind(node) != ScalarKind.Null)
        {
            return scalar.Value ?? "";
        }

        throw Error(node, $"expected {expected} for '{path}', got {Describe(node)}");
    }

    private ConfigValue<string> ReadTaskId(YamlNode node, string path)
    {
        var value = ReadString(node, path);
        return SettingRules.TaskIdError(value.Value) is { } error ? throw Error(node, $"'{path}': {error}") : value;
    }

    private ConfigValue<string> ReadPath(YamlNode node, string path) => Located(node, ResolvePath(node, path));

    private string ResolvePath(YamlNode node, string path)
    {
        string text = ReadStringValue(node, path, "a path");
        return ConfigPaths.Resolve(text, _directory, homeDirectory, out string? error) ?? throw Error(node, $"'{path}': {error}");
    }

    private string ReadRegex(YamlNode node, string path)
    {
        string pattern = ReadStringValue(node, path, "a list of regular expressions");
        return SettingRules.RegexError(pattern) is { } error ? throw Error(node, $"'{path}': {error}") : pattern;
    }

    private string ReadNotifyTarget(YamlNode node, string path)
    {
        // "- command: notify-send" is a mapping to YAML, not the target the user meant.
        if (node is YamlMappingNode { Children.Count: 1 } mapping && mapping.Children.Keys.Single() is YamlScalarNode { Value: "command" })
        {
            throw Error(node, $"'{path}': expected a notification target, got a mapping; write \"command:<program> [args...]\" in quotes, with no space after 'command:'");
        }

        string target = ReadStringValue(node, path, "a notification target");
        return SettingRules.NotifyTargetError(target) is { } error ? throw Error(node, $"'{path}': {error}") : target;
    }

    private string ReadVariableName(YamlNode node, string path)
    {
        string name = ReadStringValue(node, path, "a list of variable names");
        return SettingRules.IsEnvironmentName(name)
            ? name
            : throw Error(node, $"'{path}': '{name}' is not an environment variable name (letters, digits and '_', not starting with a digit)");
    }

    private ConfigValue<T> ReadEnum<T>(YamlNode node, string path, EnumNames<T> names)
        where T : struct, Enum
    {
        if (node is not YamlScalarNode { Value: { } text })
        {
            throw Error(node, $"expected one of: {names.Expected} for '{path}', got {Describe(node)}");
        }

        return Kind(node) == ScalarKind.String && names.TryParse(text, out T value)
            ? Located(node, value)
            : throw Error(node, $"invalid value '{text}' for '{path}' (expected one of: {names.Expected})");
    }

    private ConfigValue<bool> ReadBoolean(YamlNode node, string path)
    {
        if (Kind(node) == ScalarKind.Boolean)
        {
            return Located(node, ((YamlScalarNode)node).Value![0] is 't' or 'T');
        }

        throw Error(node, $"expected true or false for '{path}', got {Describe(node)}");
    }

    private ConfigValue<int> ReadInt32(YamlNode node, string path, int min, int max) =>
        Located(node, (int)ReadIntegerValue(node, path, min, max));

    private long ReadIntegerValue(YamlNode node, string path, long min, long max)
    {
        if (Kind(node) != ScalarKind.Integer)
        {
            throw Error(node, $"expected an integer for '{path}', got {Describe(node)}");
        }

        string text = ((YamlScalarNode)node).Value!;
        // Only digits reach TryParse, so failing means too large for any setting: out of range like the rest.
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) && value >= min && value <= max
            ? value
            : throw Error(node, $"'{path}' {SettingRules.OutOfRange(text, min, max)}");
    }

    // ---- node typing ----

    private ScalarKind Kind(YamlNode node)
    {
        if (node is not YamlScalarNode scalar)
        {
            return ScalarKind.String;
        }

        if (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific)
        {
            // !!str is the one tag with an obvious use here (forcing text); others would need a whole type system.
            return scalar.Tag.Value == StringTag
                ? ScalarKind.String
                : throw Error(node, $"the YAML tag '{scalar.Tag.Value}' is not supported here (only !!str)");
        }

        if (scalar.Style != ScalarStyle.Plain)
        {
            return ScalarKind.String;
        }

        string text = scalar.Value ?? "";
        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => ScalarKind.Null,
            "true" or "True" or "TRUE" or "false" or "False" or "FALSE" => ScalarKind.Boolean,
            _ when IntegerText().IsMatch(text) => ScalarKind.Integer,
            _ when NumberText().IsMatch(text) => ScalarKind.Number,
            _ => ScalarKind.String,
        };
    }

    private bool IsNull(YamlNode node) => node is YamlScalarNode && Kind(node) == ScalarKind.Null;

    private string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode scalar => Kind(node) switch
        {
            ScalarKind.Null => "an empty value",
            ScalarKind.Boolean => $"the boolean {scalar.Value}",
            ScalarKind.Integer => $"the integer {scalar.Value}",
            ScalarKind.Number => $"the number {scalar.Value}",
            _ => $"the string '{scalar.Value}'",
        },
        _ => "an alias",
    };

    private ConfigValue<T> Located<T>(YamlNode node, T value) => new(value, Location(node));

    private ConfigLocation Location(YamlNode node) => ConfigurationParser.LocationOf(filePath, node.Start);

    private ConfigurationException Error(YamlNode node, string reason) => ConfigurationException.At(Location(node), reason);

    [GeneratedRegex(@"^[-+]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerText();

    [GeneratedRegex(@"^([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberText();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();
}
