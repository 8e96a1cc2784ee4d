using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using Orchestrator.Core.Pipelines;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Core.Configuration;

/// <summary>The <c>pipelines:</c>, <c>guardrails:</c> and <c>specGuard:</c> sections (docs/pipelines.md).</summary>
internal sealed partial class ConfigDocumentReader
{
    private static readonly string[] PipelineKeys = ["title", "stages", "steps"];
    private static readonly string[] StageKeys = ["id", "title", "steps"];
    private static readonly string[] StepKeys =
        ["id", "title", "command", "argv", "pipeline", "builtin", "cwd", "env", "timeout", "continueOnError", "approvalPolicy", "sandbox", "pty", "dryRun"];

    private static readonly string[] SpecGuardKeys = ["codePaths", "specPaths", "baseRef", "defaultBranch"];

    /// <summary>The built-in checks a step can name with <c>builtin:</c>.</summary>
    internal static readonly string[] Builtins = ["spec-guard"];

    /// <summary>Names a user pipeline cannot take: the built-in pipelines own them.</summary>
    internal static readonly string[] ReservedPipelineNames = [PipelineDefinition.GuardrailsName, PipelineDefinition.DiagnosticsName];

    private ImmutableArray<PipelineDefinition> ReadPipelines(YamlNode node, string path)
    {
        if (node is not YamlMappingNode mapping)
        {
            throw Error(node, $"expected a mapping of pipeline names to pipelines for '{path}', got {Describe(node)}");
        }

        var pipelines = ImmutableArray.CreateBuilder<PipelineDefinition>();
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } name } || Kind(keyNode) == ScalarKind.Null)
            {
                throw Error(keyNode, $"a pipeline name must be a plain name, got {Describe(keyNode)}");
            }

            if (!StepId().IsMatch(name))
            {
                throw Error(keyNode, $"'{path}.{name}': a pipeline name is 1-48 of [A-Za-z0-9._-]");
            }

            if (ReservedPipelineNames.Contains(name, StringComparer.Ordinal))
            {
                throw Error(keyNode, $"'{path}.{name}': the name '{name}' belongs to a built-in pipeline" +
                    (name == PipelineDefinition.GuardrailsName ? " (configure guardrails with the top-level 'guardrails:' key)" : string.Empty));
            }

            pipelines.Add(ReadPipeline(value, $"{path}.{name}", name, keyNode));
        }

        return pipelines.ToImmutable();
    }

    private PipelineDefinition ReadPipeline(YamlNode node, string path, string name, YamlNode? nameNode = null)
    {
        string? title = null;
        ImmutableArray<PipelineStage>? stages = null;
        YamlNode? stepsNode = null;
        foreach (var (key, value) in Entries(node, path, PipelineKeys))
        {
            string keyPath = $"{path}.{key}";
            switch (key)
            {
                case "title":
                    title = ReadStringValue(value, keyPath, "a string");
                    break;
                case "stages":
                    stages = ReadList(value, keyPath, "a list of stages", (item, i) => ReadStage(item, $"{keyPath}[{i}]")).Value;
                    break;
                default:
                    stepsNode = value;
                    break;
            }
        }

        if (stages is not null && stepsNode is not null)
        {
            throw Error(node, $"'{path}' has both 'stages' and 'steps'; use 'stages' (a list of stages with steps) or 'steps' (one stage)");
        }

        if (stepsNode is not null)
        {
            stages = [new PipelineStage("main", null, ReadSteps(stepsNode, $"{path}.steps"))];
        }

        if (stages is not { Length: > 0 } found || found.All(s => s.Steps.IsEmpty))
        {
            throw Error(node, $"'{path}' has no steps (give it 'steps:' or 'stages:' with steps)");
        }

        var seenStages = new HashSet<string>(StringComparer.Ordinal);
        var seenSteps = new Dictionary<string, PipelineStep>(StringComparer.Ordinal);
        foreach (var stage in found)
        {
            if (!seenStages.Add(stage.Id))
            {
                throw Error(node, $"'{path}': the stage id '{stage.Id}' is used twice");
            }

            foreach (var step in stage.Steps)
            {
                if (seenSteps.TryGetValue(step.Id, out var first))
                {
                    throw ConfigurationException.At(step.Location!, $"'{path}': the step id '{step.Id}' is used twice (first at line {first.Location!.Line}); step ids are unique across the pipeline's stages");
                }

                seenSteps[step.Id] = step;
            }
        }

        return new PipelineDefinition(name, title, found, Location(nameNode ?? node));
    }

    private PipelineStage ReadStage(YamlNode node, string path)
    {
        string? id = null;
        string? title = null;
        ImmutableArray<PipelineStep> steps = [];
        foreach (var (key, value) in Entries(node, path, StageKeys))
        {
            string keyPath = $"{path}.{key}";
            switch (key)
            {
                case "id":
                    id = ReadId(value, keyPath);
                    break;
                case "title":
                    title = ReadStringValue(value, keyPath, "a string");
                    break;
                default:
                    steps = ReadSteps(value, keyPath);
                    break;
            }
        }

        return new PipelineStage(id ?? throw Error(node, $"'{path}' is missing 'id'"), title, steps);
    }

    private ImmutableArray<PipelineStep> ReadSteps(YamlNode node, string path) =>
        ReadList(node, path, "a list of steps", (item, i) => ReadStep(item, $"{path}[{i}]")).Value;

    private PipelineStep ReadStep(YamlNode node, string path)
    {
        string? id = null;
        var step = new PipelineStep { Id = "-", Kind = PipelineStepKind.Command, Location = Location(node) };
        var kinds = new List<string>(1);
        foreach (var (key, value) in Entries(node, path, StepKeys))
        {
            string keyPath = $"{path}.{key}";
            switch (key)
            {
                case "id":
                    id = ReadId(value, keyPath);
                    break;
                case "title":
                    step = step with { Title = ReadStringValue(value, keyPath, "a string") };
                    break;
                case "command":
                    kinds.Add(key);
                    string line = ReadStringValue(value, keyPath, "a shell command line");
                    step = string.IsNullOrWhiteSpace(line) ? throw Error(value, $"'{keyPath}' is empty") : step with { Kind = PipelineStepKind.Command, Command = line };
                    break;
                case "argv":
                    kinds.Add(key);
                    step = step with { Kind = PipelineStepKind.Command, Argv = ReadArgvPrefix(value, keyPath) };
                    break;
                case "pipeline":
                    kinds.Add(key);
                    step = step with { Kind = PipelineStepKind.Pipeline, Pipeline = ReadStringValue(value, keyPath, "a pipeline name"), PipelineLocation = Location(value) };
                    break;
                case "builtin":
                    kinds.Add(key);
                    string builtin = ReadStringValue(value, keyPath, "a built-in check name");
                    step = Builtins.Contains(builtin, StringComparer.Ordinal)
                        ? step with { Kind = PipelineStepKind.Builtin, Builtin = builtin }
                        : throw Error(value, $"unknown built-in check '{builtin}' for '{keyPath}' (expected one of: {string.Join(", ", Builtins)})");
                    break;
                case "cwd":
                    step = step with { WorkingDirectory = ResolvePath(value, keyPath) };
                    break;
                case "env":
                    step = step with { Environment = ReadEnvironment(value, keyPath) };
                    break;
                case "timeout":
                    step = step with { Timeout = ReadDuration(value, keyPath) };
                    break;
                case "continueOnError":
                    step = step with { ContinueOnError = ReadBoolean(value, keyPath).Value };
                    break;
                case "approvalPolicy":
                    step = step with { ApprovalPolicy = ReadEnum(value, keyPath, SettingRules.Policies).Value };
                    break;
                case "sandbox":
                    step = step with { SandboxMode = ReadEnum(value, keyPath, SettingRules.SandboxModes).Value };
                    break;
                case "pty":
                    step = step with { Pty = ReadBoolean(value, keyPath).Value };
                    break;
                default:
                    step = step with { DryRun = ReadBoolean(value, keyPath).Value };
                    break;
            }
        }

        if (id is null)
        {
            throw Error(node, $"'{path}' is missing 'id' (1-48 of [A-Za-z0-9._-], unique in the pipeline)");
        }

        if (kinds.Count != 1)
        {
            throw Error(node, kinds.Count == 0
                ? $"'{path}' ({id}) needs one of 'command', 'argv', 'pipeline' or 'builtin'"
                : $"'{path}' ({id}) has {string.Join(" and ", kinds.Select(k => $"'{k}'"))}; a step does exactly one thing");
        }

        if (step.Kind != PipelineStepKind.Command && (step.Pty || step.Timeout is not null || !step.Environment.IsEmpty || step.WorkingDirectory is not null))
        {
            throw Error(node, $"'{path}' ({id}): 'cwd', 'env', 'timeout' and 'pty' apply to command steps only");
        }

        if (step.DryRun && step.Kind != PipelineStepKind.Builtin)
        {
            throw Error(node, $"'{path}' ({id}): 'dryRun' applies to built-in checks only");
        }

        return step with { Id = id };
    }

    private ImmutableSortedDictionary<string, string?> ReadEnvironment(YamlNode node, string path)
    {
        if (node is not YamlMappingNode mapping)
        {
            throw Error(node, $"expected a mapping of variable names to values for '{path}', got {Describe(node)}");
        }

        var env = ImmutableSortedDictionary.CreateBuilder<string, string?>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in mapping.Children)
        {
            string name = ReadStringValue(keyNode, path, "a variable name");
            if (!SettingRules.IsEnvironmentName(name))
            {
                throw Error(keyNode, $"'{path}': '{name}' is not an environment variable name (letters, digits and '_', not starting with a digit)");
            }

            env[name] = IsNull(value) ? null : ReadStringValue(value, $"{path}.{name}", "a string");
        }

        return env.ToImmutable();
    }

    /// <summary><c>30</c> (seconds), <c>1500ms</c>, <c>30s</c>, <c>5m</c> or <c>1h</c>, read as every door reads a duration.</summary>
    private TimeSpan ReadDuration(YamlNode node, string path)
    {
        string text = ReadStringValue(node, path, "a duration");
        return Validation.Durations.TryParse(text, Validation.PlainNumberUnit.Seconds, out TimeSpan value, out string? problem)
            ? value
            : throw Error(node, $"invalid duration '{text}' for '{path}': {problem}");
    }

    private string ReadId(YamlNode node, string path)
    {
        string id = ReadStringValue(node, path, "an id");
        return StepId().IsMatch(id) ? id : throw Error(node, $"'{path}': '{id}' is not an id (1-48 of [A-Za-z0-9._-])");
    }

    private SpecGuardSettings ReadSpecGuard(YamlNode node, string path)
    {
        var settings = SpecGuardSettings.Default;
        foreach (var (key, value) in Entries(node, path, SpecGuardKeys))
        {
            string keyPath = $"{path}.{key}";
            settings = key switch
            {
                "codePaths" => settings with { CodePaths = ReadList(value, keyPath, "a list of repository paths", (item, _) => ReadRepoPath(item, keyPath)).Value },
                "specPaths" => settings with { SpecPaths = ReadList(value, keyPath, "a list of repository paths", (item, _) => ReadRepoPath(item, keyPath)).Value },
                "baseRef" => settings with { BaseRef = ReadStringValue(value, keyPath, "a git ref") },
                _ => settings with { DefaultBranch = ReadStringValue(value, keyPath, "a branch name") },
            };
        }

        return settings;
    }

    private string ReadRepoPath(YamlNode node, string path)
    {
        string text = ReadStringValue(node, path, "a repository path").Replace('\\', '/');
        if (text.Length == 0 || text.StartsWith('/') || text.Split('/').Contains(".."))
        {
            throw Error(node, $"'{path}': '{text}' must be a path relative to the repository root, without '..'");
        }

        return text.StartsWith("./", StringComparison.Ordinal) ? text[2..] : text;
    }

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,48}$", RegexOptions.CultureInvariant)]
    private static partial Regex StepId();
}
