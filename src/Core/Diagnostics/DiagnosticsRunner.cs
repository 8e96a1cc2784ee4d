using System.Collections.Immutable;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Orchestrator.Core.Commands;
using Orchestrator.Core.Configuration;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Instructions;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Orchestration.Sandbox;
using Orchestrator.Core.Pipelines;
using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Diagnostics;

/// <summary>
/// The built-in <c>diagnostics</c> pipeline (docs/diagnostics.md). It needs no configuration file and
/// survives a broken one (it reports it). Each check is a command of the run: the sandbox and PTY
/// checks run real commands through the ToolOrchestrator, the others are recorded as built-in steps.
/// </summary>
internal static class DiagnosticsRunner
{
    public const string SummaryFileName = "diagnostics.txt";
    public const string ReportFileName = "diagnostics.json";

    public static async Task<DiagnosticsResult> RunAsync(RunOptions options, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        options = options with { PipelineId = PipelineDefinition.DiagnosticsName };
        var (run, observers) = RunObservers.StartRun(options);
        using var _ = run;
        var checks = new List<DiagnosticCheckRecord>();
        try
        {
            var orchestrator = ToolOrchestrator.For(run);
            string cwd = run.WorkingDirectory;

            await CheckAsync(run, checks, "runtime", "Runtime", () => Task.FromResult(Runtime()), cancellationToken).ConfigureAwait(false);
            await CheckAsync(run, checks, "sdk", ".NET SDK", () => SdkAsync(cwd, cancellationToken), cancellationToken).ConfigureAwait(false);
            await CheckAsync(run, checks, "git", "Git repository", () => GitAsync(cwd, cancellationToken), cancellationToken).ConfigureAwait(false);
            var availability = BubblewrapProbe.Probe(options.Sandbox.BubblewrapPath, environment);
            await CheckAsync(run, checks, "bubblewrap", "Bubblewrap", () => Task.FromResult(Bubblewrap(availability)), cancellationToken).ConfigureAwait(false);
            // The probes never loosen the run's policy: under untrusted they need an approval like any command.
            var probePolicy = options.Approvals.Policy == ApprovalPolicy.Untrusted ? ApprovalPolicy.Untrusted : ApprovalPolicy.OnRequest;
            checks.Add(await SandboxSmokeAsync(orchestrator, availability, probePolicy, cancellationToken).ConfigureAwait(false));
            checks.Add(await PtyAsync(orchestrator, availability, probePolicy, cancellationToken).ConfigureAwait(false));
            PipelineCatalog? catalog = null;
            await CheckAsync(run, checks, "config", "Configuration", () => Task.FromResult(Config(cwd, environment, out catalog)), cancellationToken).ConfigureAwait(false);
            await CheckAsync(run, checks, "instructions", "Instruction files", () => Task.FromResult(Instructions(cwd, environment)), cancellationToken).ConfigureAwait(false);
            await CheckAsync(run, checks, "runs-root", "Runs root", () => Task.FromResult(RunsRoot(run)), cancellationToken).ConfigureAwait(false);
            await CheckAsync(run, checks, "guardrails", "Guardrails (dry run)", () => GuardrailsAsync(cwd, catalog, environment, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            run.Abandon(ex);
            await observers.FinishAsync(run).ConfigureAwait(false);
            throw;
        }

        bool cancelled = cancellationToken.IsCancellationRequested;
        var failed = checks.Where(c => c.Status == DiagnosticCheckStatus.Fail).ToList();
        var status = cancelled ? RunStatus.Cancelled : failed.Count > 0 ? RunStatus.Failed : RunStatus.Succeeded;
        string? detail = cancelled ? "the run was cancelled" : failed.Count > 0 ? "failed checks: " + string.Join(", ", failed.Select(c => c.Id)) : null;

        string summaryPath = Path.Combine(run.Paths.RunDirectory, SummaryFileName);
        string reportPath = Path.Combine(run.Paths.RunDirectory, ReportFileName);
        var result = new DiagnosticsResult
        {
            TaskId = run.TaskId,
            RunId = run.RunId,
            Status = status,
            ManifestPath = run.Paths.ManifestPath,
            EventsPath = run.Paths.EventsPath,
            SummaryPath = summaryPath,
            ReportPath = reportPath,
            Checks = checks,
            Summary = Summarize(run, checks, status),
        };
        AtomicFile.Write(summaryPath, Encoding.UTF8.GetBytes(result.Summary), durable: false);
        AtomicFile.Write(reportPath, Encoding.UTF8.GetBytes(result.ToJson() + "\n"), durable: false);
        run.Update(m => m with { Diagnostics = new DiagnosticsRecord(checks, SummaryFileName, ReportFileName) });
        run.Complete(status, detail, failed.Count > 0 ? 1 : 0);
        await observers.FinishAsync(run).ConfigureAwait(false);
        return result;
    }

    private static string Summarize(RunRecorder run, IReadOnlyList<DiagnosticCheckRecord> checks, RunStatus status)
    {
        var text = new StringBuilder();
        text.Append("Orchestrator diagnostics: ").Append(WireNames.Of(status)).Append(" (run ").Append(run.RunId).AppendLine(")");
        foreach (var check in checks)
        {
            string mark = check.Status switch { DiagnosticCheckStatus.Pass => "ok  ", DiagnosticCheckStatus.Warn => "warn", _ => "FAIL" };
            text.Append("  [").Append(mark).Append("] ").Append(check.Title.PadRight(22)).Append(' ').AppendLine(check.Detail);
        }

        text.Append("Manifest: ").AppendLine(run.Paths.ManifestPath);
        return text.ToString();
    }

    private static async Task CheckAsync(RunRecorder run, List<DiagnosticCheckRecord> checks, string id, string title,
        Func<Task<(DiagnosticCheckStatus Status, string Detail, Dictionary<string, string> Facts)>> probe, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var started = DateTimeOffset.UtcNow;
        long timestamp = Stopwatch.GetTimestamp();
        (DiagnosticCheckStatus Status, string Detail, Dictionary<string, string> Facts) found;
        try
        {
            found = await probe().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            found = (DiagnosticCheckStatus.Fail, $"the check failed: {ex.Message}", []);
        }

        var check = new DiagnosticCheckRecord(id, title, found.Status, found.Detail, found.Facts);
        checks.Add(check);
        run.UpsertCommand(new CommandRecord
        {
            Index = run.AllocateCommandIndex(),
            Id = id,
            Title = title,
            Command = $"builtin: diagnostics/{id}",
            Shell = false,
            Cwd = run.WorkingDirectory,
            Status = found.Status == DiagnosticCheckStatus.Fail ? CommandStatus.Failed : CommandStatus.Succeeded,
            StatusDetail = $"{WireNames.Of(found.Status)}: {found.Detail}",
            ExitCode = found.Status == DiagnosticCheckStatus.Fail ? 1 : 0,
            StartedAt = started,
            CompletedAt = DateTimeOffset.UtcNow,
            DurationMs = (long)Stopwatch.GetElapsedTime(timestamp).TotalMilliseconds,
            Stage = "diagnostics",
        });
    }

    private static (DiagnosticCheckStatus, string, Dictionary<string, string>) Runtime()
    {
        var facts = new Dictionary<string, string>
        {
            ["framework"] = RuntimeInformation.FrameworkDescription,
            ["os"] = RuntimeInformation.OSDescription,
            ["architecture"] = RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
            ["orchestratorVersion"] = typeof(OrchestratorClient).Assembly.GetName().Version?.ToString() ?? "unknown",
        };
        return (DiagnosticCheckStatus.Pass, $"{facts["framework"]} on {facts["os"]} ({facts["architecture"]})", facts);
    }

    private static async Task<(DiagnosticCheckStatus, string, Dictionary<string, string>)> SdkAsync(string cwd, CancellationToken cancellationToken)
    {
        var (exit, stdout, stderr) = await ProbeAsync(cwd, "dotnet", ["--version"], cancellationToken).ConfigureAwait(false);
        if (exit != 0)
        {
            return (DiagnosticCheckStatus.Warn, $"no .NET SDK found from {cwd} ({FirstLine(stderr)})", []);
        }

        var list = await ProbeAsync(cwd, "dotnet", ["--list-sdks"], cancellationToken).ConfigureAwait(false);
        var facts = new Dictionary<string, string> { ["version"] = stdout.Trim() };
        if (list.ExitCode == 0)
        {
            facts["installed"] = string.Join("; ", list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        return (DiagnosticCheckStatus.Pass, $"SDK {stdout.Trim()} selected here", facts);
    }

    private static async Task<(DiagnosticCheckStatus, string, Dictionary<string, string>)> GitAsync(string cwd, CancellationToken cancellationToken)
    {
        var top = await ProbeAsync(cwd, "git", ["rev-parse", "--show-toplevel"], cancellationToken).ConfigureAwait(false);
        if (top.ExitCode != 0)
        {
            return (DiagnosticCheckStatus.Warn, $"not a git repository ({FirstLine(top.Stderr)}); the workspace root is {WorkspaceLocator.FindWorkspaceRoot(cwd)}", []);
        }

        var facts = new Dictionary<string, string> { ["root"] = top.Stdout.Trim() };
        var head = await ProbeAsync(cwd, "git", ["rev-parse", "--verify", "--quiet", "HEAD"], cancellationToken).ConfigureAwait(false);
        facts["commit"] = head.ExitCode == 0 ? head.Stdout.Trim() : "(no commits)";
        var branch = await ProbeAsync(cwd, "git", ["symbolic-ref", "--quiet", "--short", "HEAD"], cancellationToken).ConfigureAwait(false);
        facts["branch"] = branch.ExitCode == 0 ? branch.Stdout.Trim() : "(detached)";
        string shortCommit = facts["commit"].Length >= 12 ? facts["commit"][..12] : facts["commit"];
        return (DiagnosticCheckStatus.Pass, $"{facts["root"]} at {shortCommit} on {facts["branch"]}", facts);
    }

    private static (DiagnosticCheckStatus, string, Dictionary<string, string>) Bubblewrap(SandboxAvailability availability)
    {
        var facts = new Dictionary<string, string> { ["state"] = availability.State.ToString().ToLowerInvariant() };
        if (availability.BubblewrapPath is { } path)
        {
            facts["path"] = path;
        }

        if (availability.Version is { } version)
        {
            facts["version"] = version;
        }

        return availability.IsAvailable
            ? (DiagnosticCheckStatus.Pass, $"{availability.BubblewrapPath} {availability.Version}".Trim(), facts)
            : (DiagnosticCheckStatus.Warn, $"{availability.Detail ?? "not available"}; sandboxed commands need an approval to run unsandboxed ({SandboxAvailability.InstallHint})", facts);
    }

    private static async Task<DiagnosticCheckRecord> SandboxSmokeAsync(ToolOrchestrator orchestrator, SandboxAvailability availability, ApprovalPolicy policy, CancellationToken cancellationToken)
    {
        const string Title = "Sandbox smoke run";
        if (!availability.IsAvailable)
        {
            return new DiagnosticCheckRecord("sandbox-smoke", Title, DiagnosticCheckStatus.Warn, "not run: bubblewrap is not available", new Dictionary<string, string>());
        }

        // The on-request policy never leaves the sandbox on its own: the smoke run proves the sandbox or fails.
        var toolRun = await orchestrator.RunAsync(new ExecRequest
        {
            Command = CommandSpec.FromArgv("/bin/sh", "-c", "echo sandbox-ok; if test -w /usr; then echo usr-writable; exit 3; fi"),
            Id = "sandbox-smoke",
            Title = Title,
            Tool = "diagnostics",
            Stage = "diagnostics",
            SandboxMode = SandboxMode.WorkspaceWrite,
            ApprovalPolicy = policy,
            Timeout = TimeSpan.FromSeconds(30),
        }, cancellationToken).ConfigureAwait(false);
        var final = toolRun.Final;
        if (toolRun.Status == ToolRunStatus.Denied)
        {
            return new DiagnosticCheckRecord("sandbox-smoke", Title, DiagnosticCheckStatus.Warn, $"not run: {toolRun.StatusDetail}",
                new Dictionary<string, string> { ["status"] = "denied" });
        }

        var facts = new Dictionary<string, string> { ["sandbox"] = WireNames.Of(toolRun.SandboxState), ["status"] = WireNames.Of(toolRun.Status) };
        bool ok = toolRun.Succeeded && toolRun.SandboxState == SandboxState.Sandboxed && final?.Stdout.Text.Contains("sandbox-ok", StringComparison.Ordinal) == true;
        return ok
            ? new DiagnosticCheckRecord("sandbox-smoke", Title, DiagnosticCheckStatus.Pass, "a command ran in bubblewrap with a read-only /usr", facts)
            : new DiagnosticCheckRecord("sandbox-smoke", Title, DiagnosticCheckStatus.Fail,
                $"the sandboxed command did not run as expected: {WireNames.Of(toolRun.Status)}, exit {toolRun.ExitCode?.ToString() ?? "none"}" +
                (final is { Stderr.Text.Length: > 0 } ? $" ({FirstLine(final.Stderr.Text)})" : string.Empty), facts);
    }

    private static async Task<DiagnosticCheckRecord> PtyAsync(ToolOrchestrator orchestrator, SandboxAvailability availability, ApprovalPolicy policy, CancellationToken cancellationToken)
    {
        const string Title = "Pseudo-terminal";
        try
        {
            // In the sandbox when there is one (the terminal works inside it); never outside it unless the run's own mode says so.
            var toolRun = await orchestrator.RunAsync(new ExecRequest
            {
                Command = CommandSpec.FromArgv("/bin/sh", "-c", "test -t 0 && test -t 1 && echo pty-ok"),
                Id = "pty",
                Title = Title,
                Tool = "diagnostics",
                Stage = "diagnostics",
                UsePty = true,
                SandboxMode = availability.IsAvailable ? SandboxMode.WorkspaceWrite : null,
                ApprovalPolicy = policy,
                Timeout = TimeSpan.FromSeconds(30),
            }, cancellationToken).ConfigureAwait(false);
            bool ok = toolRun.Succeeded && toolRun.Final?.Stdout.Text.Contains("pty-ok", StringComparison.Ordinal) == true;
            return new DiagnosticCheckRecord("pty", Title, ok ? DiagnosticCheckStatus.Pass : DiagnosticCheckStatus.Warn,
                ok ? "commands can run on a pseudo-terminal" : $"a command on a pseudo-terminal did not see a terminal ({WireNames.Of(toolRun.Status)}: {toolRun.StatusDetail})",
                new Dictionary<string, string> { ["status"] = WireNames.Of(toolRun.Status) });
        }
        catch (OrchestratorException ex) when (ex.Code == OrchestratorErrorCode.TerminalUnavailable)
        {
            return new DiagnosticCheckRecord("pty", Title, DiagnosticCheckStatus.Warn, $"no pseudo-terminals here: {ex.Message}", new Dictionary<string, string>());
        }
    }

    private static (DiagnosticCheckStatus, string, Dictionary<string, string>) Config(string cwd, Func<string, string?> environment, out PipelineCatalog? catalog)
    {
        catalog = null;
        try
        {
            var loaded = ConfigurationLoader.Load(cwd, environment);
            catalog = PipelineCatalog.From(loaded);
            _ = loaded.Resolve(ExplicitSettings.None);
            var facts = new Dictionary<string, string> { ["repoFile"] = loaded.RepoConfigPath };
            if (loaded.Repo is { } repo)
            {
                facts["repoSha256"] = repo.Sha256;
            }

            if (loaded.User is { } user)
            {
                facts["userFile"] = user.Path;
            }

            facts["pipelines"] = string.Join(", ", catalog.Pipelines.Keys);
            string files = (loaded.Repo, loaded.User) switch
            {
                (null, null) => "no configuration file (defaults apply)",
                (not null, null) => $"{loaded.Repo.Path} is valid",
                (null, not null) => $"{loaded.User.Path} is valid",
                _ => $"{loaded.Repo!.Path} and {loaded.User!.Path} are valid",
            };
            return (DiagnosticCheckStatus.Pass, $"{files}; {catalog.Pipelines.Count} pipeline(s)", facts);
        }
        catch (ConfigurationException ex)
        {
            return (DiagnosticCheckStatus.Fail, ex.Message, new Dictionary<string, string>());
        }
    }

    private static (DiagnosticCheckStatus, string, Dictionary<string, string>) Instructions(string cwd, Func<string, string?> environment)
    {
        var set = InstructionLoader.Load(new InstructionOptions(cwd), environment);
        var facts = new Dictionary<string, string>();
        for (int i = 0; i < set.Sources.Count; i++)
        {
            facts[$"source{i + 1}"] = $"{set.Sources[i].Path} ({set.Sources[i].Scope})";
        }

        if (set.Sources.Count > 0)
        {
            facts["sha256"] = set.Hash;
        }

        if (set.Warnings.Count > 0)
        {
            return (DiagnosticCheckStatus.Warn, string.Join("; ", set.Warnings), facts);
        }

        return (DiagnosticCheckStatus.Pass, set.Sources.Count == 0 ? "no AGENTS.md found (none needed)" : $"{set.Sources.Count} file(s) resolved", facts);
    }

    private static (DiagnosticCheckStatus, string, Dictionary<string, string>) RunsRoot(RunRecorder run)
    {
        var facts = new Dictionary<string, string> { ["runsRoot"] = run.Paths.RunsRoot };
        string stateRoot = RunRecorder.StateRootFor(run.Options, run.Paths.RunsRoot);
        facts["stateRoot"] = stateRoot;
        foreach (string directory in new[] { run.Paths.RunsRoot, stateRoot })
        {
            try
            {
                Directory.CreateDirectory(directory);
                string probe = Path.Combine(directory, $".write-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
                File.WriteAllBytes(probe, [1]);
                File.Delete(probe);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return (DiagnosticCheckStatus.Fail, $"{directory} is not writable: {ex.Message}", facts);
            }
        }

        return (DiagnosticCheckStatus.Pass, $"{run.Paths.RunsRoot} and {stateRoot} are writable", facts);
    }

    private static async Task<(DiagnosticCheckStatus, string, Dictionary<string, string>)> GuardrailsAsync(
        string cwd, PipelineCatalog? catalog, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        if (catalog is null)
        {
            return (DiagnosticCheckStatus.Warn, "not listed: the configuration is invalid", []);
        }

        if (catalog.Guardrails is not { } guardrails)
        {
            return (DiagnosticCheckStatus.Warn, "no guardrails configured ('guardrails:' in orchestrator.yaml)", []);
        }

        var facts = new Dictionary<string, string>();
        var details = new List<string>();
        foreach (var (stage, step) in guardrails.Steps)
        {
            facts[$"{stage.Id}/{step.Id}"] = step.Display + (step.ContinueOnError ? " (continueOnError)" : string.Empty);
            if (step.Builtin == SpecGuardCheck.BuiltinName)
            {
                var report = await SpecGuardCheck.EvaluateAsync(cwd, catalog.SpecGuard, environment, cancellationToken).ConfigureAwait(false);
                facts[$"{stage.Id}/{step.Id}:dryRun"] = (report.Passed ? "pass: " : "would fail: ") + report.Message;
                details.Add($"{step.Id} {(report.Passed ? "would pass" : "would fail")}");
            }
        }

        int count = guardrails.Steps.Count();
        string extra = details.Count > 0 ? "; " + string.Join(", ", details) : string.Empty;
        return (DiagnosticCheckStatus.Pass, $"{count} guardrail step(s): {string.Join(", ", guardrails.Steps.Select(s => s.Step.Id))}{extra}", facts);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> ProbeAsync(string cwd, string program, string[] args, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(program) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["GIT_TERMINAL_PROMPT"] = "0";
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, string.Empty, $"{program} could not start: {ex.Message}");
        }

        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                cancellationToken.ThrowIfCancellationRequested();
                return (-1, string.Empty, $"{program} did not finish in 60 s");
            }

            return (process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
