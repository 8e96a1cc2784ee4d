using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using Orchestrator.Core.Commands;
using Orchestrator.Core.Events;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Pipelines;

/// <summary>
/// Runs a pipeline as one parent run: stages in order, steps in order, each command through the
/// <see cref="ToolOrchestrator"/>, each sub-pipeline as a child run (its own manifest, listed in the
/// parent's <c>childRuns</c>), each built-in check in-process. The first step that fails without
/// <c>continueOnError</c> stops the pipeline; the steps after it are recorded as skipped.
/// </summary>
internal static class PipelineRunner
{
    public static async Task<PipelineRunResult> RunAsync(
        PipelineCatalog catalog,
        PipelineDefinition pipeline,
        RunOptions options,
        ResumePlan? resume,
        bool dryRun,
        CancellationToken cancellationToken,
        bool child = false)
    {
        string sha = catalog.DefinitionSha256(pipeline.Name);
        options = options with { PipelineId = pipeline.Name };
        options.Retry.Validate();
        var resumeEvents = new List<ResumeEvent>();
        if (resume is not null)
        {
            resumeEvents.Add(new ResumeEvent(DateTimeOffset.UtcNow, "resumed", null, resume.Resumed.RunId,
                $"resuming a {WireNames.Of(resume.Resumed.Status).Replace('_', ' ')} run" + (resume.Resumed.StatusDetail is { } d ? $": {d}" : string.Empty)));
        }

        // The pipeline's identity is in the first manifest version (one write, not two).
        Func<RunManifest, RunManifest> identity = m => m with { PipelineSha256 = sha, ResumeToken = $"{m.RunId}.{sha[..16]}", ResumeEvents = [.. resumeEvents] };

        // A child pipeline is part of its parent's run: the parent's telemetry and notifications cover it.
        RunObservers? observers = null;
        RunRecorder run;
        if (child)
        {
            run = RunRecorder.Start(options, identity);
        }
        else
        {
            (run, observers) = RunObservers.StartRun(options, identity);
        }

        using var _ = run;
        string token = run.Manifest.ResumeToken!;
        var outcomes = new List<PipelineStepOutcome>();
        var children = new List<ChildRunRecord>();
        RunStatus status = RunStatus.Succeeded;
        string? detail = null;
        int? exitCode = 0;
        try
        {
            var orchestrator = ToolOrchestrator.For(run);
            string? stopReason = null;
            foreach (var (stage, step) in pipeline.Steps)
            {
                if (stopReason is null && cancellationToken.IsCancellationRequested)
                {
                    stopReason = "not run: the run was cancelled";
                    status = RunStatus.Cancelled;
                    detail ??= "the run was cancelled";
                }

                if (stopReason is not null)
                {
                    RecordSkipped(run, stage, step, stopReason, null);
                    outcomes.Add(new PipelineStepOutcome(step.Id, stage.Id, CommandStatus.Skipped, step.ContinueOnError, null, stopReason));
                    continue;
                }

                if (resume?.SucceededIn.TryGetValue(step.Id, out string? earlier) == true)
                {
                    string why = $"skipped: succeeded in run {earlier}";
                    RecordSkipped(run, stage, step, why, earlier);
                    resumeEvents.Add(new ResumeEvent(DateTimeOffset.UtcNow, "skipped", step.Id, earlier, "succeeded before"));
                    run.Update(m => m with { ResumeEvents = [.. resumeEvents] });
                    outcomes.Add(new PipelineStepOutcome(step.Id, stage.Id, CommandStatus.Skipped, step.ContinueOnError, 0, why, SucceededInRunId: earlier));
                    continue;
                }

                if (resume is not null)
                {
                    resumeEvents.Add(new ResumeEvent(DateTimeOffset.UtcNow, "rerun", step.Id, resume.Resumed.RunId,
                        resume.Resumed.Commands.LastOrDefault(c => c.Id == step.Id) is { } previous ? $"was {WireNames.Of(previous.Status).Replace('_', ' ')}" : "did not run"));
                    run.Update(m => m with { ResumeEvents = [.. resumeEvents] });
                }

                var outcome = step.Kind switch
                {
                    PipelineStepKind.Command => await RunCommandAsync(run, orchestrator, stage, step, cancellationToken).ConfigureAwait(false),
                    PipelineStepKind.Pipeline => await RunChildAsync(run, catalog, stage, step, options, dryRun, children, cancellationToken).ConfigureAwait(false),
                    _ => await RunBuiltinAsync(run, catalog, stage, step, dryRun, cancellationToken).ConfigureAwait(false),
                };
                outcomes.Add(outcome);
                if (outcome.Status == CommandStatus.Succeeded || step.ContinueOnError && outcome.Status != CommandStatus.Cancelled)
                {
                    continue;
                }

                bool cancelled = outcome.Status == CommandStatus.Cancelled || cancellationToken.IsCancellationRequested;
                status = cancelled ? RunStatus.Cancelled : RunStatus.Failed;
                exitCode = outcome.ExitCode;
                detail = $"step {step.Id} {Describe(outcome)}";
                stopReason = $"not run: step {step.Id} {WireNames.Of(outcome.Status).Replace('_', ' ')}";
            }
        }
        catch (Exception ex)
        {
            run.Abandon(ex);
            if (observers is not null)
            {
                await observers.FinishAsync(run).ConfigureAwait(false);
            }

            throw;
        }

        GuardrailStatus? guardrails = pipeline.Name == PipelineDefinition.GuardrailsName ? GuardrailEvaluator.Evaluate(outcomes, status) : null;
        if (guardrails is not null)
        {
            run.Update(m => m with { GuardrailStatus = guardrails });
        }

        if (status == RunStatus.Succeeded && outcomes.FirstOrDefault(o => o.ContinueOnError && o.Status != CommandStatus.Succeeded && o.Status != CommandStatus.Skipped) is { } soft)
        {
            detail = $"step {soft.StepId} {Describe(soft)} (continueOnError)";
        }

        var final = run.Complete(status, detail, exitCode);
        if (observers is not null)
        {
            await observers.FinishAsync(run).ConfigureAwait(false);
        }

        return new PipelineRunResult
        {
            TaskId = run.TaskId,
            RunId = run.RunId,
            PipelineId = pipeline.Name,
            Status = status,
            StatusDetail = detail,
            ExitCode = exitCode,
            RunDirectory = run.Paths.RunDirectory,
            ManifestPath = run.Paths.ManifestPath,
            EventsPath = run.Paths.EventsPath,
            ParentRunId = final.ParentRunId,
            ResumeToken = token,
            Steps = outcomes,
            ChildRuns = children,
            GuardrailStatus = guardrails,
        };
    }

    private static string Describe(PipelineStepOutcome outcome) => outcome.Status switch
    {
        CommandStatus.TimedOut => "timed out" + (outcome.Detail is { } d ? $": {d}" : string.Empty),
        CommandStatus.Cancelled => "was cancelled",
        _ => outcome.Detail is { } d ? $"failed: {d}" : $"exited with code {outcome.ExitCode}",
    };

    private static async Task<PipelineStepOutcome> RunCommandAsync(RunRecorder run, ToolOrchestrator orchestrator, PipelineStage stage, PipelineStep step, CancellationToken cancellationToken)
    {
        var toolRun = await orchestrator.RunAsync(ToRequest(run, stage, step), cancellationToken).ConfigureAwait(false);
        var final = toolRun.Final;
        CommandStatus status = toolRun.Status switch
        {
            ToolRunStatus.Succeeded => CommandStatus.Succeeded,
            ToolRunStatus.TimedOut => CommandStatus.TimedOut,
            ToolRunStatus.Cancelled => CommandStatus.Cancelled,
            _ => CommandStatus.Failed,
        };
        string? detail = toolRun.Status switch
        {
            ToolRunStatus.Succeeded => null,
            ToolRunStatus.Denied => $"denied: {toolRun.StatusDetail}",
            ToolRunStatus.TimedOut => $"after {(final?.Timeout ?? final?.Duration ?? TimeSpan.Zero).TotalSeconds:0.###} s",
            _ when toolRun.StatusDetail is not null => toolRun.StatusDetail,
            _ when final?.Error is not null => final.Error.Message,
            _ when final?.Signal is not null => $"killed by {final.Signal}",
            _ => null,
        };
        return new PipelineStepOutcome(step.Id, stage.Id, status, step.ContinueOnError, toolRun.ExitCode, detail);
    }

    private static ExecRequest ToRequest(RunRecorder run, PipelineStage stage, PipelineStep step)
    {
        // A door's explicit setting (-p:OrchestratorApprovalPolicy=never in CI) outranks the file, steps included.
        bool explicitPolicy = run.Options.SettingSources?.GetValueOrDefault("approvalPolicy") == "explicit";
        bool explicitSandbox = run.Options.SettingSources?.GetValueOrDefault("sandbox.mode") == "explicit";
        return new ExecRequest
        {
            Command = step.Command is { } line ? CommandSpec.FromShell(line) : CommandSpec.FromArgv(step.Argv),
            Id = step.Id,
            Title = step.Title,
            Tool = "pipeline",
            Stage = stage.Id,
            WorkingDirectory = step.WorkingDirectory,
            Environment = step.Environment.ToImmutableDictionary(StringComparer.Ordinal),
            Timeout = step.Timeout,
            UsePty = step.Pty,
            ApprovalPolicy = explicitPolicy ? null : step.ApprovalPolicy,
            SandboxMode = explicitSandbox ? null : step.SandboxMode,
        };
    }

    private static async Task<PipelineStepOutcome> RunChildAsync(
        RunRecorder run, PipelineCatalog catalog, PipelineStage stage, PipelineStep step, RunOptions options, bool dryRun,
        List<ChildRunRecord> children, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        long timestamp = Stopwatch.GetTimestamp();
        int index = run.AllocateCommandIndex();
        var record = new CommandRecord
        {
            Index = index,
            Id = step.Id,
            Title = step.Title ?? step.Display,
            Command = step.Display,
            Shell = false,
            Cwd = run.WorkingDirectory,
            Status = CommandStatus.Running,
            StartedAt = started,
            Stage = stage.Id,
        };
        run.UpsertCommand(record);
        var child = await RunAsync(catalog, catalog.Get(step.Pipeline!), options with { ParentRunId = run.RunId, PipelineId = step.Pipeline }, null, dryRun, cancellationToken, child: true)
            .ConfigureAwait(false);
        string relative = Path.GetRelativePath(run.Paths.RunDirectory, child.ManifestPath).Replace(Path.DirectorySeparatorChar, '/');
        var childRecord = new ChildRunRecord(child.RunId, child.PipelineId, child.Status, relative);
        children.Add(childRecord);
        CommandStatus status = child.Status switch
        {
            RunStatus.Succeeded => CommandStatus.Succeeded,
            RunStatus.Cancelled => CommandStatus.Cancelled,
            _ => CommandStatus.Failed,
        };
        var completed = DateTimeOffset.UtcNow;
        run.Update(m => m with
        {
            ChildRuns = [.. m.ChildRuns, childRecord],
            Commands = [.. m.Commands.Select(c => c.Index == index
                ? c with
                {
                    Status = status,
                    StatusDetail = child.StatusDetail is { } d ? $"child run {child.RunId}: {d}" : $"child run {child.RunId}",
                    ExitCode = child.ExitCode,
                    CompletedAt = completed,
                    DurationMs = (long)Stopwatch.GetElapsedTime(timestamp).TotalMilliseconds,
                    ChildRunId = child.RunId,
                }
                : c)],
        });
        return new PipelineStepOutcome(step.Id, stage.Id, status, step.ContinueOnError, child.ExitCode, child.StatusDetail,
            Finding: child.Steps.Any(s => s.Finding), ChildRunId: child.RunId);
    }

    private static async Task<PipelineStepOutcome> RunBuiltinAsync(RunRecorder run, PipelineCatalog catalog, PipelineStage stage, PipelineStep step, bool dryRun, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        long timestamp = Stopwatch.GetTimestamp();
        int index = run.AllocateCommandIndex();
        bool isDryRun = dryRun || step.DryRun;
        var record = new CommandRecord
        {
            Index = index,
            Id = step.Id,
            Title = step.Title ?? step.Display,
            Command = step.Display + (dryRun && !step.DryRun ? " --dry-run" : string.Empty),
            Shell = false,
            Cwd = run.WorkingDirectory,
            Status = CommandStatus.Running,
            StartedAt = started,
            Stage = stage.Id,
        };
        run.UpsertCommand(record);

        // Only spec-guard exists; the configuration refuses other names.
        SpecGuardReport report;
        try
        {
            report = await SpecGuardCheck.EvaluateAsync(run.WorkingDirectory, catalog.SpecGuard, Environment.GetEnvironmentVariable, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            run.UpsertCommand(record with { Status = CommandStatus.Cancelled, CompletedAt = DateTimeOffset.UtcNow, DurationMs = (long)Stopwatch.GetElapsedTime(timestamp).TotalMilliseconds });
            return new PipelineStepOutcome(step.Id, stage.Id, CommandStatus.Cancelled, step.ContinueOnError, null, "cancelled");
        }

        var text = new StringBuilder();
        text.Append(report.Passed ? "spec-guard: pass: " : isDryRun ? "spec-guard: would fail (dry run): " : "spec-guard: FAIL: ").AppendLine(report.Message);
        text.Append("base: ").AppendLine(report.BaseSha is null ? "(none)" : $"{report.BaseSha} ({report.Base})");
        foreach (string file in report.CodeChanges)
        {
            text.Append("code: ").AppendLine(file);
        }

        foreach (string file in report.SpecChanges)
        {
            text.Append("spec: ").AppendLine(file);
        }

        string log = RunPaths.CommandLogRelativePath(index, step.Id, "stdout");
        byte[] bytes = Encoding.UTF8.GetBytes(text.ToString());
        using (var file = run.CreateLogFile(log))
        {
            // Through the run's verified directory, like every raw log (never through a link).
            await RandomAccess.WriteAsync(file, bytes, 0, cancellationToken).ConfigureAwait(false);
        }

        bool passed = report.Passed || isDryRun;
        CommandStatus status = passed ? CommandStatus.Succeeded : CommandStatus.Failed;
        string detail = report.Passed ? report.Message : (isDryRun ? "dry run, would fail: " : string.Empty) + report.Message;
        run.UpsertCommand(record with
        {
            Status = status,
            StatusDetail = detail,
            ExitCode = passed ? 0 : 1,
            CompletedAt = DateTimeOffset.UtcNow,
            DurationMs = (long)Stopwatch.GetElapsedTime(timestamp).TotalMilliseconds,
            Stdout = new StreamCapture(text.ToString(), false, bytes.Length, 0, false),
            Stderr = StreamCapture.Empty,
            Logs = new CommandLogPaths(log, null),
        });
        return new PipelineStepOutcome(step.Id, stage.Id, status, step.ContinueOnError, passed ? 0 : 1, report.Passed ? null : report.Message,
            Finding: !report.Passed && isDryRun);
    }

    private static void RecordSkipped(RunRecorder run, PipelineStage stage, PipelineStep step, string reason, string? succeededIn)
    {
        if (step.Kind == PipelineStepKind.Command)
        {
            CommandExecutor.RecordSkipped(run, ToRequest(run, stage, step), reason);
            if (succeededIn is not null)
            {
                run.Update(m =>
                {
                    int last = m.Commands.Count - 1;
                    return m with { Commands = [.. m.Commands.Select((c, i) => i == last ? c with { SucceededInRunId = succeededIn } : c)] };
                });
            }

            return;
        }

        run.UpsertCommand(new CommandRecord
        {
            Index = run.AllocateCommandIndex(),
            Id = step.Id,
            Title = step.Title ?? step.Display,
            Command = step.Display,
            Shell = false,
            Cwd = run.WorkingDirectory,
            Status = CommandStatus.Skipped,
            StatusDetail = reason,
            Stage = stage.Id,
            SucceededInRunId = succeededIn,
        });
    }
}
