using System.Collections.Immutable;
using Orchestrator.Core.Commands;
using Orchestrator.Core.Events;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Orchestration.Approvals;
using Orchestrator.Core.Orchestration.Sandbox;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Security;

namespace Orchestrator.Core.Orchestration;

/// <summary>
/// The one place every command passes through: approval (policy, config rules, cache, prompt),
/// sandbox selection, the attempt, and what follows a failure: a sandbox denial becomes an
/// <c>exec:retry</c> and, if the policy and an approval allow it, an escalated attempt outside the
/// sandbox; a transient failure becomes bounded retries with exponential backoff. Everything it
/// decides lands in the manifest (<c>toolRuns[]</c>, <c>approvals[]</c>) and the event stream.
/// Escalation never exceeds the configured policy: see docs/approvals-and-sandbox.md.
/// </summary>
public sealed class ToolOrchestrator
{
    private readonly RunRecorder _run;
    private readonly ApprovalService _approvals;
    private readonly Func<SandboxAvailability> _probe;
    private SandboxAvailability? _availability;
    private int _cacheWarningsRecorded;

    public ToolOrchestrator(RunRecorder run, ApprovalService approvals, Func<SandboxAvailability>? probe = null)
    {
        _run = run;
        _approvals = approvals;
        // The cache is shared by every run of the process: only problems found from now on are this run's.
        _cacheWarningsRecorded = approvals.Cache.Warnings.Count;
        _probe = probe ?? (() => BubblewrapProbe.Probe(run.Options.Sandbox.BubblewrapPath, Environment.GetEnvironmentVariable));
    }

    /// <summary>Creates the orchestrator for a run from its options (the approval cache defaults to &lt;runs root&gt;/approvals.jsonl).</summary>
    public static ToolOrchestrator For(RunRecorder run, Func<SandboxAvailability>? probe = null)
    {
        var settings = run.Options.Approvals;
        string cachePath = settings.CachePath ?? Path.Combine(run.Paths.RunsRoot, ApprovalCache.DefaultFileName);
        return new ToolOrchestrator(run, new ApprovalService(settings, ApprovalCache.Open(cachePath)), probe);
    }

    public async Task<ToolRunResult> RunAsync(ExecRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = _run.Options;
        options.Retry.Validate();
        ApprovalPolicy policy = request.ApprovalPolicy ?? options.Approvals.Policy;
        SandboxSettings sandbox = request.SandboxMode is { } mode ? options.Sandbox with { Mode = mode } : options.Sandbox;
        string id = _run.AllocateToolRunId();
        string cwd = CommandExecutor.ResolveWorkingDirectory(_run, request);
        var tokens = ApprovalSubject.Tokens(request.Command);
        bool plain = ApprovalSubject.IsPlain(request.Command);
        string workingTree = WorkspaceLocator.FindWorkspaceRoot(cwd);
        var state = new ToolRunState(id, request, options.Secrets.For(EnvironmentBuilder.Compose(request.Environment)), DateTimeOffset.UtcNow);

        _run.Emit(new ToolBeginPayload
        {
            ToolRunId = id,
            Tool = request.Tool,
            Command = state.Display,
            ApprovalPolicy = WireNames.Of(policy),
            SandboxMode = WireNames.Of(sandbox.Mode),
            NetworkAccess = sandbox.NetworkAccess,
            EscalationRequested = request.RequestEscalation,
        });

        // The tool run reaches the manifest with its outcome (each attempt is there as a command
        // with its toolRunId meanwhile): one write per state change that matters, not per step.

        ApprovalSubject Subject(ApprovalAction action) =>
            new ApprovalSubject(action, tokens, workingTree, _run.TaskId, _run.RunId, plain) { Display = CommandDisplay.Escape(state.Display) };

        if (sandbox.IsSandboxed)
        {
            _ = Availability(); // the manifest records the sandbox even when the command is denied before running
        }

        // 1. The untrusted policy asks before running anything off the safe list.
        if (policy == ApprovalPolicy.Untrusted && !SafeCommands.IsSafe(request.Command, options.Approvals.SafeCommands, workingTree))
        {
            var decision = await DecideAsync(state, Subject(ApprovalAction.Run), "the untrusted policy asks before running commands off the safe list", cancellationToken).ConfigureAwait(false);
            if (!decision.Approved)
            {
                return Finish(state, ToolRunStatus.Denied, sandbox.IsSandboxed ? SandboxState.Sandboxed : SandboxState.Unsandboxed,
                    $"not run: {decision.Reason}");
            }
        }

        // 2. Where the first attempt runs.
        SandboxState sandboxState;
        SandboxLaunch? launch = null;
        if (!sandbox.IsSandboxed)
        {
            sandboxState = SandboxState.Unsandboxed;
        }
        else if (request.RequestEscalation)
        {
            var decision = await DecideAsync(state, Subject(ApprovalAction.Escalate), "the command asked to run outside the sandbox", cancellationToken).ConfigureAwait(false);
            if (!decision.Approved)
            {
                return Finish(state, ToolRunStatus.Denied, SandboxState.Sandboxed, $"not run: {decision.Reason}");
            }

            sandboxState = SandboxState.Escalated;
        }
        else
        {
            var availability = Availability();
            if (availability.IsAvailable)
            {
                sandboxState = SandboxState.Sandboxed;
                launch = new SandboxLaunch(availability.BubblewrapPath!, sandbox, ProtectedPaths(workingTree));
            }
            else
            {
                var unavailable = availability.State == SandboxAvailabilityState.Unavailable ? SandboxState.Unavailable : SandboxState.Failed;
                var decision = await DecideAsync(state, Subject(ApprovalAction.Escalate), $"no sandbox is available here ({availability.Detail})", cancellationToken).ConfigureAwait(false);
                if (!decision.Approved)
                {
                    return Finish(state, ToolRunStatus.Denied, unavailable, $"not run: {decision.Reason}");
                }

                sandboxState = unavailable;
            }
        }

        // 3. Attempts: escalate once on a sandbox denial, retry transient failures with backoff.
        int transientRetries = 0;
        bool escalated = false;
        while (true)
        {
            int attemptNumber = state.Attempts.Count + 1;
            var absent = launch is null ? [] : launch.ProtectedPaths.Where(p => !ProtectedPath.Exists(p)).ToArray();
            var result = await CommandExecutor.RunAsync(_run, request, new ExecAttempt(id, attemptNumber, sandboxState, launch), cancellationToken).ConfigureAwait(false);
            state.Add(result, sandboxState);
            QuarantineCreated(absent, result.ExecId);

            if (result.Succeeded || result.Status is CommandStatus.Cancelled or CommandStatus.TimedOut || cancellationToken.IsCancellationRequested)
            {
                return Finish(state, StatusOf(result), sandboxState, null);
            }

            if (launch is not null && !escalated && Refusal(result, sandbox) is var (reason, evidence, certain, network))
            {
                state.MarkRetry(reason, evidence);
                if (policy == ApprovalPolicy.OnRequest)
                {
                    return Finish(state, ToolRunStatus.Failed, sandboxState,
                        certain
                            ? $"the sandbox refused it ({evidence}); the on-request policy leaves the sandbox only when a command asks to (RequestEscalation)"
                            : PossiblyDenied(evidence, network, "the on-request policy leaves the sandbox only when a command asks to (RequestEscalation)"));
                }

                _run.Emit(new ExecRetryPayload
                {
                    ToolRunId = id,
                    ExecId = result.ExecId,
                    NextAttempt = attemptNumber + 1,
                    Reason = reason,
                    Evidence = evidence,
                    NextSandbox = WireNames.Of(SandboxState.Escalated),
                    NeedsApproval = true,
                });
                var decision = await DecideAsync(state, Subject(ApprovalAction.Escalate), certain ? $"the sandbox refused it: {evidence}" : $"the sandbox may have refused it: {evidence}", cancellationToken).ConfigureAwait(false);
                if (!decision.Approved)
                {
                    // Only a refusal the sandbox itself reported is a denial; words in the output are
                    // a guess, so the command's own failure stands and the record says what might help.
                    return certain
                        ? Finish(state, ToolRunStatus.Denied, sandboxState, $"escalation not approved: {decision.Reason}")
                        : Finish(state, StatusOf(result), sandboxState, PossiblyDenied(evidence, network, $"not retried outside it: {decision.Reason}"));
                }

                escalated = true;
                launch = null;
                sandboxState = SandboxState.Escalated;
                _run.UpsertCommandAndToolRun(state.PendingRecord, state.ToRecord());
                state.PendingRecord = null;
                continue;
            }

            if (options.Retry.Transient(result) is var (transientReason, transientEvidence) && transientRetries < options.Retry.MaxAttempts - 1)
            {
                transientRetries++;
                TimeSpan delay = options.Retry.DelayBefore(transientRetries);
                state.MarkRetry(transientReason, transientEvidence);
                _run.Emit(new ExecRetryPayload
                {
                    ToolRunId = id,
                    ExecId = result.ExecId,
                    NextAttempt = attemptNumber + 1,
                    Reason = transientReason,
                    Evidence = transientEvidence,
                    NextSandbox = WireNames.Of(sandboxState),
                    DelayMs = (long)delay.TotalMilliseconds,
                });
                _run.UpsertCommandAndToolRun(state.PendingRecord, state.ToRecord());
                state.PendingRecord = null;
                try
                {
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return Finish(state, ToolRunStatus.Cancelled, sandboxState, "cancelled while waiting to retry");
                }

                continue;
            }

            return Finish(state, StatusOf(result), sandboxState, null);
        }
    }

    /// <summary>
    /// What a sandboxed command must not write even in workspace-write: the records (runs root,
    /// task state, approval cache) and every file that decides what the next run may do (the
    /// configuration files read, and where a repository or user file would be looked for).
    /// </summary>
    private ImmutableArray<string> ProtectedPaths(string workingTree)
    {
        var options = _run.Options;
        var paths = new List<string> { _run.Paths.RunsRoot, RunRecorder.StateRootFor(options, _run.Paths.RunsRoot) };
        if (options.Approvals.CachePath is string cache)
        {
            paths.Add(Path.GetFullPath(cache));
        }

        paths.AddRange(options.ConfigurationFiles.Select(f => f.Path));
        paths.Add(Path.Combine(workingTree, WorkspaceLocator.ConfigFileName));
        if (WorkspaceLocator.UserConfigFile(Environment.GetEnvironmentVariable, Environment.GetEnvironmentVariable("HOME")) is string user)
        {
            paths.Add(user);
        }

        return [.. paths.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// A protected path that did not exist could not be bound read-only, so the command could
    /// create it (an orchestrator.yaml widening the policy, a forged task state): move what it
    /// created into the run's folder, out of every later run's way, and say so in the manifest.
    /// </summary>
    private void QuarantineCreated(string[] absent, string execId)
    {
        foreach (string path in absent)
        {
            if (!ProtectedPath.Exists(path))
            {
                continue;
            }

            string target = Path.Combine(_run.Paths.RunDirectory, "quarantine", execId + "-" + Path.GetFileName(path.TrimEnd('/')));
            string outcome;
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                Directory.Move(path, target);
                outcome = $"moved to '{target}'";
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                outcome = $"it could not be moved away ({ex.Message}); remove it before the next run";
            }

            _run.AddWarning(new RunWarning("ProtectedPathCreated",
                $"The sandboxed command {execId} created '{path}', which only the orchestrator may write: {outcome}."));
        }
    }

    private SandboxAvailability Availability()
    {
        if (_availability is null)
        {
            _availability = _probe();
            var sandbox = _run.Options.Sandbox;
            _run.Update(m => m with
            {
                Sandbox = new SandboxInfo(WireNames.Of(sandbox.Mode), sandbox.NetworkAccess, sandbox.WritableRoots, sandbox.ProtectGit,
                    _availability.State.ToString().ToLowerInvariant(), _availability.BubblewrapPath, _availability.Version, _availability.Detail,
                    _availability.IsAvailable ? SandboxLimiter.Describe(sandbox.EffectiveLimits) : null,
                    _availability.IsAvailable && sandbox.Mode == SandboxMode.WorkspaceWrite ? ProtectedPaths(WorkspaceLocator.FindWorkspaceRoot(_run.WorkingDirectory)) : null),
            });
            foreach (string root in sandbox.WritableRoots.Where(r => !Directory.Exists(r)))
            {
                _run.AddWarning(new RunWarning("WritableRootMissing", $"The writable root '{root}' does not exist and was not made writable."));
            }
        }

        return _availability;
    }

    /// <summary>
    /// A failed sandboxed attempt the sandbox may have caused. Certain when bwrap itself could not
    /// set up; otherwise a guess from the errno texts the command printed.
    /// </summary>
    private static (string Reason, string Evidence, bool Certain, bool Network)? Refusal(CommandResult result, SandboxSettings sandbox)
    {
        if (result.ExitCode == 1 && result.Stderr.Text.StartsWith("bwrap: ", StringComparison.Ordinal))
        {
            return ("sandbox-failed", result.Stderr.Text.Split('\n')[0], true, false);
        }

        return SandboxDenialDetector.Detect(result.ExitCode, result.Stdout.Text, result.Stderr.Text, !sandbox.NetworkAccess) is SandboxDenial denial
            ? ("sandbox-denied", denial.Evidence, false, denial.Kind == SandboxDenialKind.Network)
            : null;
    }

    /// <summary>The detail of a failure that the sandbox may have caused, naming the settings that would allow it.</summary>
    private static string PossiblyDenied(string evidence, bool network, string why)
    {
        string allow = network
            ? "allow the network (NetworkAccess, sandbox.network, --network)"
            : "make the path writable (WritableRoots, sandbox.writableRoots) or choose another SandboxMode";
        return $"failed, possibly denied by the sandbox ({evidence}); {why}. If it needs more access, {allow}, or add an approval rule that lets it escalate";
    }

    private async Task<ApprovalDecision> DecideAsync(ToolRunState state, ApprovalSubject subject, string why, CancellationToken cancellationToken)
    {
        var decision = await _approvals.DecideAsync(subject, why, state.Request.ApprovalPolicy, cancellationToken).ConfigureAwait(false);
        state.ApprovalSource = decision.Source;
        string decided = decision.Approved ? "approved" : "denied";
        _run.Emit(new ApprovalDecisionPayload
        {
            ToolRunId = state.Id,
            Key = subject.Key,
            Action = WireNames.Of(subject.Action),
            Command = subject.Display,
            Decision = decided,
            Source = WireNames.Of(decision.Source),
            Scope = WireNames.Of(decision.Scope),
            Actor = decision.Actor,
            Reason = decision.Reason,
        });
        _run.AddApproval(new ApprovalRecord
        {
            ToolRunId = state.Id,
            Key = subject.Key,
            Action = WireNames.Of(subject.Action),
            Command = subject.Display,
            WorkingTree = subject.WorkingTree,
            Decision = decided,
            Source = WireNames.Of(decision.Source),
            Scope = WireNames.Of(decision.Scope),
            Actor = decision.Actor,
            Reason = decision.Reason,
            Timestamp = decision.Timestamp,
            ExpiresAt = decision.ExpiresAt,
        });
        RecordCacheWarnings();
        return decision;
    }

    private void RecordCacheWarnings()
    {
        var warnings = _approvals.Cache.Warnings;
        for (; _cacheWarningsRecorded < warnings.Count; _cacheWarningsRecorded++)
        {
            _run.AddWarning(new RunWarning("ApprovalCacheCorrupt", warnings[_cacheWarningsRecorded]));
        }
    }

    private ToolRunResult Finish(ToolRunState state, ToolRunStatus status, SandboxState sandboxState, string? detail)
    {
        state.Status = status;
        state.SandboxState = sandboxState;
        state.Detail = detail;
        state.CompletedAt = DateTimeOffset.UtcNow;
        _run.UpsertCommandAndToolRun(state.PendingRecord, state.ToRecord());
        state.PendingRecord = null;
        _run.Emit(new ToolEndPayload
        {
            ToolRunId = state.Id,
            Status = WireNames.Of(status),
            StatusDetail = detail,
            SandboxState = WireNames.Of(sandboxState),
            ApprovalSource = WireNames.Of(state.ApprovalSource),
            AttemptCount = state.Attempts.Count,
            RetryCount = Math.Max(0, state.Attempts.Count - 1),
            ExitCode = state.Attempts.Count > 0 ? state.Attempts[^1].Result.ExitCode : null,
        });
        return new ToolRunResult
        {
            Id = state.Id,
            Tool = state.Request.Tool,
            Command = state.Display,
            Status = status,
            StatusDetail = detail,
            SandboxState = sandboxState,
            ApprovalSource = state.ApprovalSource,
            Attempts = [.. state.Attempts.Select(a => a.Result)],
            AttemptRecords = state.ToRecord().Attempts,
        };
    }

    private static ToolRunStatus StatusOf(CommandResult result) => result.Status switch
    {
        CommandStatus.Succeeded => ToolRunStatus.Succeeded,
        CommandStatus.TimedOut => ToolRunStatus.TimedOut,
        CommandStatus.Cancelled => ToolRunStatus.Cancelled,
        _ => ToolRunStatus.Failed,
    };

    /// <summary>What is known about a tool run while it is in progress.</summary>
    private sealed class ToolRunState(string id, ExecRequest request, SecretSet secrets, DateTimeOffset startedAt)
    {
        public string Id { get; } = id;

        public ExecRequest Request { get; } = request;

        /// <summary>The command's secrets: masked wherever the command line is written.</summary>
        public SecretSet Secrets { get; } = secrets;

        public string Display { get; } = secrets.RedactText(request.Command.Display);

        public List<(CommandResult Result, SandboxState Sandbox, string? RetryReason, string? Evidence)> Attempts { get; } = [];

        public ApprovalSource ApprovalSource { get; set; } = ApprovalSource.NotRequired;

        public ToolRunStatus Status { get; set; } = ToolRunStatus.Running;

        public SandboxState SandboxState { get; set; } = SandboxState.Sandboxed;

        public string? Detail { get; set; }

        public DateTimeOffset? CompletedAt { get; set; }

        /// <summary>The last attempt's command record, not yet written (it goes out with the tool run).</summary>
        public CommandRecord? PendingRecord { get; set; }

        public void Add(CommandResult result, SandboxState sandbox)
        {
            Attempts.Add((result, sandbox, null, null));
            SandboxState = sandbox;
            PendingRecord = result.Record;
        }

        public void MarkRetry(string reason, string evidence) =>
            Attempts[^1] = Attempts[^1] with { RetryReason = reason, Evidence = evidence };

        public ToolRunRecord ToRecord() => new()
        {
            Id = Id,
            Tool = Request.Tool,
            Command = Display,
            ApprovalSource = WireNames.Of(ApprovalSource),
            RetryCount = Math.Max(0, Attempts.Count - 1),
            AttemptCount = Attempts.Count,
            SandboxState = WireNames.Of(SandboxState),
            Status = WireNames.Of(Status),
            StatusDetail = Detail,
            StartedAt = startedAt,
            CompletedAt = CompletedAt,
            Attempts = [.. Attempts.Select((a, i) => new ToolRunAttempt(
                i + 1, a.Result.ExecId, WireNames.Of(a.Sandbox), WireNames.Of(a.Result.Status), a.Result.ExitCode,
                (long)a.Result.Duration.TotalMilliseconds, a.RetryReason, a.Evidence))],
        };
    }
}
