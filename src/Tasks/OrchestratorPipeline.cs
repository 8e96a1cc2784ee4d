using System.Diagnostics.CodeAnalysis;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Orchestrator.Core;
using Orchestrator.Core.Configuration;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Doors;
using Orchestrator.Core.Outcomes;
using Orchestrator.Core.Pipelines;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Settings;
using Orchestrator.Tasks.Logging;

namespace Orchestrator.Tasks;

/// <summary>
/// Runs a configured pipeline, the guardrails, the built-in diagnostics, or a resume of a failed
/// pipeline run, through <see cref="OrchestratorClient"/>: command output in the build log as it
/// arrives, one line per step at the end, the manifest path and the guardrail recommendation as
/// outputs, an <c>ORCH</c> error when it fails. Used by the OrchestratorPipeline,
/// OrchestratorGuardrails, OrchestratorDiagnostics and OrchestratorResume targets (docs/msbuild.md).
/// </summary>
public sealed class OrchestratorPipeline : OrchestratorRunTask
{
    public OrchestratorPipeline()
        : base(TaskStrings.ResourceManager)
    {
    }

    /// <summary><c>pipeline</c> (default), <c>guardrails</c>, <c>diagnostics</c> or <c>resume</c>.</summary>
    public string? Kind { get; set; }

    /// <summary>The pipeline to run (Kind=pipeline).</summary>
    public string? PipelineName { get; set; }

    /// <summary>The run id or resume token of the run to resume (Kind=resume).</summary>
    public string? ResumeRunId { get; set; }

    /// <summary>Built-in checks (spec guard) report without failing (Kind=guardrails or pipeline).</summary>
    public bool DryRun { get; set; }

    /// <summary>Fail the build when the guardrails recommend needs-review (default: a warning).</summary>
    public bool FailOnNeedsReview { get; set; }

    /// <summary>High (default), Normal or Low: the importance of command output in the log.</summary>
    public string? StandardOutputImportance { get; set; }

    [Output]
    public string? RunId { get; private set; }

    [Output]
    public string? ManifestPath { get; private set; }

    /// <summary>succeeded, failed or cancelled.</summary>
    [Output]
    public string? Status { get; private set; }

    /// <summary>pass, fail or needs-review (guardrails runs; empty otherwise).</summary>
    [Output]
    public string? Recommendation { get; private set; }

    /// <summary>The token that resumes this run (pipeline and guardrails runs).</summary>
    [Output]
    public string? ResumeToken { get; private set; }

    /// <summary>The human summary of a diagnostics run.</summary>
    [Output]
    public string? SummaryPath { get; private set; }

    public override bool Execute()
    {
        _ = Warmup.Start();
        string kind = string.IsNullOrWhiteSpace(Kind) ? "pipeline" : Kind.Trim().ToLowerInvariant();
        if (kind is not ("pipeline" or "guardrails" or "diagnostics" or "resume"))
        {
            Log.LogErrorWithCodeFromResources("InvalidParameter", nameof(Kind), Kind, "use pipeline, guardrails, diagnostics or resume");
            return false;
        }

        if (kind == "pipeline" && string.IsNullOrWhiteSpace(PipelineName))
        {
            Log.LogErrorWithCodeFromResources("NoPipelineName");
            return false;
        }

        if (kind == "resume" && string.IsNullOrWhiteSpace(ResumeRunId))
        {
            Log.LogErrorWithCodeFromResources("NoResumeRunId");
            return false;
        }

        if (!TryBuildOptions(kind, out RunOptions? options, out BuildLogBridge? bridge))
        {
            return false;
        }

        using (bridge)
        {
            var client = new OrchestratorClient();
            var run = System.Threading.Tasks.Task.Run<object>(async () =>
            {
                try
                {
                    return kind switch
                    {
                        "diagnostics" => await client.RunDiagnosticsAsync(options, Cancellation).ConfigureAwait(false),
                        "guardrails" => await client.RunGuardrailsAsync(options, DryRun, Cancellation).ConfigureAwait(false),
                        "resume" => await client.ResumeAsync(ResumeRunId!.Trim(), options, Cancellation).ConfigureAwait(false),
                        _ => await client.RunPipelineAsync(PipelineName!.Trim(), options, Cancellation).ConfigureAwait(false),
                    };
                }
                finally
                {
                    bridge.Complete();
                }
            });

            bridge.Drain(LogEntry);
            object result;
            try
            {
                result = run.GetAwaiter().GetResult();
            }
            catch (OrchestratorException ex)
            {
                LogOrchestratorError(ex);
                return false;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or PlatformNotSupportedException)
            {
                Log.LogOutcome(MessageCatalogue.InternalFailure(ex.Message));
                return false;
            }

            if (result is DiagnosticsResult diagnostics)
            {
                Report(diagnostics);
            }
            else
            {
                Report((PipelineRunResult)result);
            }
        }

        return !Log.HasLoggedErrors;
    }

    private void Report(DiagnosticsResult result)
    {
        RunId = result.RunId;
        ManifestPath = result.ManifestPath;
        Status = WireNames.Of(result.Status);
        SummaryPath = result.SummaryPath;
        foreach (string line in result.Summary.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Log.LogMessage(MessageImportance.High, "{0}", line);
        }

        LogOutcome(PipelineOutcomes.Of(result));
    }

    private void Report(PipelineRunResult result)
    {
        RunId = result.RunId;
        ManifestPath = result.ManifestPath;
        Status = WireNames.Of(result.Status);
        ResumeToken = result.ResumeToken;
        Recommendation = result.GuardrailStatus is { } g ? WireNames.Of(g.Recommendation) : string.Empty;
        Log.LogMessage(MessageImportance.High, $"Orchestrator pipeline '{result.PipelineId}' {Status} (run {result.RunId}): {result.ManifestPath}");
        foreach (var step in result.Steps)
        {
            string extra = step.SucceededInRunId is { } earlier ? $" (succeeded in {earlier})"
                : step.ChildRunId is { } child ? $" (child run {child})"
                : step.Detail is { } detail && step.Status != CommandStatus.Succeeded ? $": {detail}"
                : string.Empty;
            Log.LogMessage(MessageImportance.High, $"  [{WireNames.Of(step.Status)}] {step.Stage}/{step.StepId}{extra}");
        }

        LogOutcome(PipelineOutcomes.Of(result, FailOnNeedsReview));
    }

    private void LogOutcome(PipelineOutcome outcome)
    {
        foreach (var notice in outcome.Notices)
        {
            Log.LogOutcome(notice);
        }

        if (outcome.Error is { } error)
        {
            Log.LogOutcome(error);
        }
    }

    private bool TryBuildOptions(string kind, [NotNullWhen(true)] out RunOptions? options, [NotNullWhen(true)] out BuildLogBridge? bridge)
    {
        options = null;
        bridge = null;
        var input = RunInput();
        if (!RunInputReader.TryRead(input, SettingSurface.MSBuildPipeline, out RunSettingsInput? read, out OutcomeMessage? problem))
        {
            Log.LogOutcome(problem!);
            return false;
        }

        var importance = MessageImportance.High;
        if (!string.IsNullOrWhiteSpace(StandardOutputImportance) &&
            !(Enum.TryParse(StandardOutputImportance, ignoreCase: true, out importance) && Enum.IsDefined(importance)))
        {
            Log.LogErrorWithCodeFromResources("InvalidParameter", nameof(StandardOutputImportance), StandardOutputImportance, "use High, Normal or Low");
            return false;
        }

        var explicitSettings = read!.Settings;
        string project = Directory.GetCurrentDirectory();
        bridge = new BuildLogBridge(importance, importance, stderrAsError: false, echoOff: false, collectConsole: false);
        var template = new RunOptions
        {
            Runner = RunnerKind.MSBuild,
            WorkingDirectory = project,
            Sinks = [bridge],
            OutputTaps = [bridge],
            OtelEndpoint = read.OtelEndpoint,
            Notify = read.Notify,
        };
        string? configPath = string.IsNullOrWhiteSpace(ConfigFile) ? null : Path.GetFullPath(ConfigFile, project);
        try
        {
            options = RunOptionsResolver.Resolve(project, explicitSettings, template, configPath: configPath);
        }
        catch (OrchestratorException ex) when (kind == "diagnostics" && ex.Code == OrchestratorErrorCode.InvalidConfiguration)
        {
            // Diagnostics report a broken configuration as a failed check; the run itself uses defaults.
            options = template with
            {
                TaskId = explicitSettings.TaskId,
                RunsRoot = explicitSettings.RunsRoot is { } root ? Path.GetFullPath(root, project) : null,
            };
        }
        catch (OrchestratorException ex)
        {
            bridge.Dispose();
            bridge = null;
            LogOrchestratorError(ex);
            return false;
        }

        return true;
    }
}
