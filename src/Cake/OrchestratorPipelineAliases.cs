using Cake.Core;
using Cake.Core.Annotations;
using Cake.Core.Diagnostics;
using Cake.Orchestrator.Logging;
using Orchestrator.Core;
using Orchestrator.Core.Outcomes;
using Orchestrator.Core.Pipelines;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Settings;

namespace Cake.Orchestrator;

/// <summary>
/// Runs a configured pipeline, or the guardrails, as one parent run from a Cake script: every step
/// through the Orchestrator, its output in the Cake log as it arrives, the run's manifest with every
/// step's status (and <c>guardrailStatus</c> for guardrails).
/// </summary>
[CakeAliasCategory("Orchestrator")]
public static class OrchestratorPipelineAliases
{
    /// <summary>Runs the pipeline <paramref name="name"/> from orchestrator.yaml; throws a <see cref="CakeException"/> when the run fails.</summary>
    /// <example><code>OrchestratorPipeline("release");</code></example>
    [CakeMethodAlias]
    public static OrchestratorPipelineResult OrchestratorPipeline(this ICakeContext context, string name) =>
        OrchestratorPipeline(context, name, new OrchestratorPipelineSettings());

    /// <summary>Runs the pipeline <paramref name="name"/> with these settings; throws a <see cref="CakeException"/> when the run fails (unless <see cref="OrchestratorPipelineSettings.IgnoreFailure"/>).</summary>
    [CakeMethodAlias]
    public static OrchestratorPipelineResult OrchestratorPipeline(this ICakeContext context, string name, OrchestratorPipelineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new CakeException("ORCH0014: No pipeline to run: name a pipeline of orchestrator.yaml's 'pipelines:'.");
        }

        var result = Run(context, settings, (client, options) => client.RunPipelineAsync(name.Trim(), options), out PipelineOutcome outcome);
        CakeOutcomes.Render(context, outcome, settings.IgnoreFailure);
        return result;
    }

    /// <summary>Runs the configured guardrails; throws a <see cref="CakeException"/> when they recommend <c>fail</c>.</summary>
    /// <example><code>var guardrails = OrchestratorGuardrails(); Information(guardrails.Recommendation);</code></example>
    [CakeMethodAlias]
    public static OrchestratorPipelineResult OrchestratorGuardrails(this ICakeContext context) =>
        OrchestratorGuardrails(context, new OrchestratorPipelineSettings());

    /// <summary>Runs the configured guardrails with these settings; throws a <see cref="CakeException"/> when they recommend <c>fail</c> (unless <see cref="OrchestratorPipelineSettings.IgnoreFailure"/>).</summary>
    [CakeMethodAlias]
    public static OrchestratorPipelineResult OrchestratorGuardrails(this ICakeContext context, OrchestratorPipelineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        var result = Run(context, settings, (client, options) => client.RunGuardrailsAsync(options, settings.DryRun), out PipelineOutcome outcome);
        CakeOutcomes.Render(context, outcome, settings.IgnoreFailure);
        return result;
    }

    private static OrchestratorPipelineResult Run(ICakeContext context, OrchestratorPipelineSettings settings,
        Func<OrchestratorClient, RunOptions, Task<PipelineRunResult>> start, out PipelineOutcome outcome)
    {
        _ = Warmup.Start();
        string cwd = CakeRunOptions.WorkingDirectory(context, settings);
        using var bridge = new CakeLogBridge(settings.OutputVerbosity, settings.EchoOff);
        RunOptions options = CakeRunOptions.Resolve(context, settings, cwd, bridge, CakeRunOptions.Input(context, settings), SettingSurface.CakePipeline);

        PipelineRunResult result = bridge.RunAndDrain(context.Log, () => start(new OrchestratorClient(), options));
        outcome = PipelineOutcomes.Of(result);

        foreach (var step in result.Steps.Where(s => s.Status is not CommandStatus.Succeeded and not CommandStatus.Skipped))
        {
            context.Log.Write(Verbosity.Minimal, LogLevel.Warning, "{0}",
                $"Step {step.StepId} ({step.Stage}) {WireNames.Of(step.Status)}{(step.ContinueOnError ? " (continueOnError)" : "")}: {step.Detail}");
        }

        return new OrchestratorPipelineResult
        {
            TaskId = result.TaskId,
            RunId = result.RunId,
            PipelineId = result.PipelineId,
            Status = WireNames.Of(result.Status),
            StatusDetail = result.StatusDetail,
            ExitCode = result.ExitCode,
            RunDirectory = result.RunDirectory,
            ManifestPath = result.ManifestPath,
            EventsPath = result.EventsPath,
            ResumeToken = result.ResumeToken,
            Steps = [.. result.Steps.Select(s => new OrchestratorStepResult(
                s.StepId, s.Stage, WireNames.Of(s.Status), s.ExitCode, s.Detail, s.ContinueOnError, s.ChildRunId, s.SucceededInRunId))],
            ChildRunIds = [.. result.ChildRuns.Select(c => c.RunId)],
            Recommendation = result.GuardrailStatus is { } guardrails ? WireNames.Of(guardrails.Recommendation) : null,
            GuardrailSummary = result.GuardrailStatus?.Summary,
        };
    }
}
