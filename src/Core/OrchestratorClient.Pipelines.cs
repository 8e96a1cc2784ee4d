using Orchestrator.Core.Configuration;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Pipelines;
using Orchestrator.Core.Runs;

namespace Orchestrator.Core;

/// <summary>Pipelines, guardrails, diagnostics and resume: the calls every door makes (docs/pipelines.md#api).</summary>
public sealed partial class OrchestratorClient
{
    /// <summary>
    /// Runs the configured pipeline <paramref name="name"/> as one parent run (<c>pipelineId</c> =
    /// the name); sub-pipeline steps become child runs. The pipelines come from
    /// <see cref="RunOptions.Pipelines"/>, else from the configuration of the working directory.
    /// </summary>
    /// <exception cref="OrchestratorException"><see cref="OrchestratorErrorCode.UnknownPipeline"/>, <see cref="OrchestratorErrorCode.InvalidConfiguration"/>, and the run's own errors.</exception>
    public Task<PipelineRunResult> RunPipelineAsync(string name, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        options ??= new RunOptions();
        var catalog = CatalogOf(options);
        return PipelineRunner.RunAsync(catalog, catalog.Get(name), options, resume: null, dryRun: false, cancellationToken);
    }

    /// <summary>
    /// Runs the configured guardrails (<c>guardrails:</c>) as a pipeline named <c>guardrails</c>; the
    /// result and the manifest carry <see cref="GuardrailStatus"/>.
    /// </summary>
    /// <param name="dryRun">Built-in checks (spec guard) report what they find without failing.</param>
    public Task<PipelineRunResult> RunGuardrailsAsync(RunOptions? options = null, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        options ??= new RunOptions();
        var catalog = CatalogOf(options);
        return PipelineRunner.RunAsync(catalog, catalog.Get(PipelineDefinition.GuardrailsName), options, resume: null, dryRun, cancellationToken);
    }

    /// <summary>
    /// Resumes a failed, cancelled or stale (writer gone) pipeline run as a new run whose
    /// <c>parentRunId</c> is the resumed run: steps that succeeded are recorded as skipped (naming the
    /// run they succeeded in), the others run again.
    /// </summary>
    /// <param name="runIdOrToken">
    /// The run id, its resume token (<c>&lt;run-id&gt;.&lt;hash&gt;</c>, which also pins the definition), or
    /// <c>latest</c>: the task's most recently started pipeline run (child runs aside), from the task state.
    /// </param>
    /// <exception cref="OrchestratorException">
    /// <see cref="OrchestratorErrorCode.RunNotFound"/> (no such run under the runs root),
    /// <see cref="OrchestratorErrorCode.CorruptRunRecord"/> (its manifest cannot be read),
    /// <see cref="OrchestratorErrorCode.ResumeRefused"/> (not a pipeline run, succeeded, still running, or its definition changed),
    /// <see cref="OrchestratorErrorCode.InvalidRunId"/>.
    /// </exception>
    public Task<PipelineRunResult> ResumeAsync(string runIdOrToken, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runIdOrToken);
        options ??= new RunOptions();
        var (resumed, pipeline, catalog) = RunResumer.Prepare(runIdOrToken, options, CatalogOf(options));
        return PipelineRunner.RunAsync(catalog, pipeline, options with { ParentRunId = resumed.RunId, TaskId = resumed.TaskId }, ResumePlan.From(resumed), dryRun: false, cancellationToken);
    }

    /// <summary>
    /// Runs the built-in diagnostics (no configuration needed): versions, git, bubblewrap and a real
    /// sandboxed command, PTY, configuration validity, instruction files, runs root, guardrails (dry
    /// run). Writes a manifest, events.jsonl, <c>diagnostics.txt</c> and <c>diagnostics.json</c>.
    /// </summary>
    public Task<DiagnosticsResult> RunDiagnosticsAsync(RunOptions? options = null, CancellationToken cancellationToken = default) =>
        DiagnosticsRunner.RunAsync(options ?? new RunOptions(), Environment.GetEnvironmentVariable, cancellationToken);

    private static PipelineCatalog CatalogOf(RunOptions options)
    {
        if (options.Pipelines is { } catalog)
        {
            return catalog;
        }

        try
        {
            string cwd = Path.GetFullPath(options.WorkingDirectory ?? Environment.CurrentDirectory);
            return PipelineCatalog.From(ConfigurationLoader.Load(cwd, Environment.GetEnvironmentVariable));
        }
        catch (ConfigurationException ex)
        {
            throw new OrchestratorException(OrchestratorErrorCode.InvalidConfiguration, ex.Message, ex);
        }
    }
}
