using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Orchestrator.Core.Configuration;
using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Pipelines;

/// <summary>
/// The pipelines a workspace can run: the repository file's over the user file's (by name), the
/// guardrails and the spec guard settings. <see cref="From"/> checks every sub-pipeline reference
/// and refuses cycles, so a catalog that exists can run any of its pipelines.
/// </summary>
public sealed class PipelineCatalog
{
    private readonly ImmutableSortedDictionary<string, PipelineDefinition> _pipelines;

    private PipelineCatalog(ImmutableSortedDictionary<string, PipelineDefinition> pipelines, PipelineDefinition? guardrails, SpecGuardSettings specGuard)
    {
        _pipelines = pipelines;
        Guardrails = guardrails;
        SpecGuard = specGuard;
    }

    public static PipelineCatalog Empty { get; } = new(ImmutableSortedDictionary<string, PipelineDefinition>.Empty, null, SpecGuardSettings.Default);

    /// <summary>The configured pipelines by name (not including guardrails or diagnostics).</summary>
    public IReadOnlyDictionary<string, PipelineDefinition> Pipelines => _pipelines;

    /// <summary>The guardrails pipeline, or null when none is configured.</summary>
    public PipelineDefinition? Guardrails { get; }

    public SpecGuardSettings SpecGuard { get; }

    /// <summary>Builds the catalog of a loaded configuration.</summary>
    /// <exception cref="ConfigurationException">A sub-pipeline that does not exist, or a cycle of sub-pipelines (with where it was written).</exception>
    public static PipelineCatalog From(LoadedConfiguration loaded)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        var repo = loaded.Repo?.Config ?? OrchestratorConfig.Empty;
        var user = loaded.User?.Config ?? OrchestratorConfig.Empty;
        if (repo.Pipelines.IsEmpty && user.Pipelines.IsEmpty && repo.Guardrails is null && user.Guardrails is null && repo.SpecGuard is null && user.SpecGuard is null)
        {
            // Nothing configured (every run without a config file): nothing to build or validate.
            return Empty;
        }

        var pipelines = ImmutableSortedDictionary.CreateBuilder<string, PipelineDefinition>(StringComparer.Ordinal);
        foreach (var pipeline in user.Pipelines)
        {
            pipelines[pipeline.Name] = pipeline;
        }

        foreach (var pipeline in repo.Pipelines)
        {
            pipelines[pipeline.Name] = pipeline;
        }

        var catalog = new PipelineCatalog(pipelines.ToImmutable(), repo.Guardrails ?? user.Guardrails, repo.SpecGuard ?? user.SpecGuard ?? SpecGuardSettings.Default);
        catalog.Validate();
        return catalog;
    }

    /// <summary>A catalog of the given definitions (tests, SDK users building pipelines in code); validated like <see cref="From"/>.</summary>
    public static PipelineCatalog Create(IEnumerable<PipelineDefinition> pipelines, PipelineDefinition? guardrails = null, SpecGuardSettings? specGuard = null)
    {
        var catalog = new PipelineCatalog(
            pipelines.ToImmutableSortedDictionary(p => p.Name, p => p, StringComparer.Ordinal),
            guardrails,
            specGuard ?? SpecGuardSettings.Default);
        catalog.Validate();
        return catalog;
    }

    /// <summary>The pipeline called <paramref name="name"/> (<c>guardrails</c> included).</summary>
    /// <exception cref="OrchestratorException"><see cref="OrchestratorErrorCode.UnknownPipeline"/>, naming the pipelines there are.</exception>
    public PipelineDefinition Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (TryGet(name, out var pipeline))
        {
            return pipeline;
        }

        if (name == PipelineDefinition.GuardrailsName)
        {
            throw new OrchestratorException(OrchestratorErrorCode.UnknownPipeline,
                "No guardrails are configured: add a 'guardrails:' section (steps or stages) to orchestrator.yaml (docs/guardrails.md).");
        }

        string known = _pipelines.Count == 0 ? "no pipelines are configured ('pipelines:' in orchestrator.yaml)" : "configured: " + string.Join(", ", _pipelines.Keys);
        throw new OrchestratorException(OrchestratorErrorCode.UnknownPipeline, $"Unknown pipeline '{name}' ({known}).");
    }

    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PipelineDefinition? pipeline)
    {
        if (name == PipelineDefinition.GuardrailsName)
        {
            pipeline = Guardrails;
            return pipeline is not null;
        }

        return _pipelines.TryGetValue(name, out pipeline);
    }

    /// <summary>
    /// SHA-256 (hex) of what the pipeline runs: step ids, kinds, commands, directories, environment,
    /// timeouts, policies, its sub-pipelines' definitions and, when it uses the spec guard, its
    /// settings. Titles are left out: renaming a step for people does not change what a resume skips.
    /// </summary>
    public string DefinitionSha256(string name)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteCanonical(writer, Get(name));
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    private void WriteCanonical(Utf8JsonWriter writer, PipelineDefinition pipeline)
    {
        writer.WriteStartObject();
        writer.WriteString("name", pipeline.Name);
        writer.WriteStartArray("stages");
        foreach (var stage in pipeline.Stages)
        {
            writer.WriteStartObject();
            writer.WriteString("id", stage.Id);
            writer.WriteStartArray("steps");
            foreach (var step in stage.Steps)
            {
                writer.WriteStartObject();
                writer.WriteString("id", step.Id);
                writer.WriteString("kind", step.Kind.ToString());
                writer.WriteString("command", step.Command);
                writer.WriteStartArray("argv");
                foreach (string arg in step.Argv)
                {
                    writer.WriteStringValue(arg);
                }

                writer.WriteEndArray();
                writer.WriteString("cwd", step.WorkingDirectory);
                writer.WriteStartObject("env");
                foreach (var (key, value) in step.Environment)
                {
                    writer.WriteString(key, value);
                }

                writer.WriteEndObject();
                writer.WriteNumber("timeoutMs", (long)(step.Timeout?.TotalMilliseconds ?? 0));
                writer.WriteBoolean("continueOnError", step.ContinueOnError);
                writer.WriteString("approvalPolicy", step.ApprovalPolicy is { } p ? WireNames.Of(p) : null);
                writer.WriteString("sandbox", step.SandboxMode is { } m ? WireNames.Of(m) : null);
                writer.WriteBoolean("pty", step.Pty);
                writer.WriteBoolean("dryRun", step.DryRun);
                writer.WriteString("builtin", step.Builtin);
                if (step.Builtin == SpecGuardCheck.BuiltinName)
                {
                    writer.WriteString("specGuard", string.Join('\n', [.. SpecGuard.CodePaths, "|", .. SpecGuard.SpecPaths, "|", SpecGuard.BaseRef ?? "", SpecGuard.DefaultBranch ?? ""]));
                }

                if (step.Pipeline is { } child)
                {
                    writer.WritePropertyName("pipeline");
                    WriteCanonical(writer, Get(child));
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private void Validate()
    {
        var all = _pipelines.Values.Concat(Guardrails is null ? [] : [Guardrails]);
        foreach (var pipeline in all)
        {
            foreach (var (_, step) in pipeline.Steps)
            {
                if (step.Pipeline is { } child && !TryGet(child, out _))
                {
                    string where = step.PipelineLocation?.ToString() ?? pipeline.Name;
                    string known = _pipelines.Count == 0 ? "no pipelines are configured" : "configured: " + string.Join(", ", _pipelines.Keys);
                    throw ConfigurationException.At(step.PipelineLocation ?? step.Location ?? new ConfigLocation(where, 1, 1),
                        $"step '{step.Id}' of pipeline '{pipeline.Name}' runs the unknown pipeline '{child}' ({known})");
                }
            }
        }

        // Depth-first with colours: a grey node met again closes a cycle, reported as the path around it.
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false = on the path, true = done
        var path = new List<(string Name, PipelineStep? Via)>();
        foreach (var pipeline in all)
        {
            Visit(pipeline, null);
        }

        void Visit(PipelineDefinition pipeline, PipelineStep? via)
        {
            if (state.TryGetValue(pipeline.Name, out bool done))
            {
                if (!done)
                {
                    int start = path.FindIndex(p => p.Name == pipeline.Name);
                    string cycle = string.Join(" -> ", path.Skip(start).Select(p => p.Name).Append(pipeline.Name));
                    throw ConfigurationException.At(via?.PipelineLocation ?? via?.Location ?? new ConfigLocation(pipeline.Name, 1, 1),
                        $"a cycle of sub-pipelines: {cycle} (a pipeline cannot run itself, directly or through others)");
                }

                return;
            }

            state[pipeline.Name] = false;
            path.Add((pipeline.Name, via));
            foreach (var (_, step) in pipeline.Steps)
            {
                if (step.Pipeline is { } child)
                {
                    Visit(Get(child), step);
                }
            }

            path.RemoveAt(path.Count - 1);
            state[pipeline.Name] = true;
        }
    }
}
