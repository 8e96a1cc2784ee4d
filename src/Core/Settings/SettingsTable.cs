using System.Collections.Immutable;
using static Orchestrator.Core.Settings.SettingDefinition;

namespace Orchestrator.Core.Settings;

/// <summary>
/// Every setting of a run or a command, with its name in orchestrator.yaml, the environment, each
/// door and each SDK. The settings-parity test holds every door to it (a door member missing from
/// the table, or a table entry missing from its door, fails), the environment reader takes its
/// variable names from it, and docs/settings.md is rendered from it. One file because it is one
/// table: splitting it would hide a missing row.
/// </summary>
public static class SettingsTable
{
    private static readonly string StepOwn = Absent("each pipeline step sets its own in orchestrator.yaml (pipelines.<name>.steps)");
    private static readonly string StepCommand = Absent("a pipeline's steps name their commands in orchestrator.yaml");
    private static readonly string MSBuildLogOnly = Absent("how the MSBuild log shows output; other doors show it their own way");
    private static readonly string CakeLogOnly = Absent("the Cake log verbosity; other doors show output their own way");
    private static readonly string CliOutputOnly = Absent("the CLI's stdout format; SDKs and tasks read results, not stdout");
    private static readonly string NodeOutputOnly = Absent("the Node SDK always reads --jsonl");
    private static readonly string OneProcess = Absent("the CLI process, and the session with it, ends with the command");
    private static readonly string CliArgv = Absent("the CLI runs the argv after --; a shell line is `-- sh -c '...'`");
    private static readonly string ExitCodeIsTheResult = Absent("the exit code is returned as the result; the caller decides");
    private static readonly string LimitsArePolicy = Absent("a resource ceiling belongs to orchestrator.yaml or the environment, not to one call");
    private static readonly string NodeTransportOnly = Absent("how the Node SDK starts the CLI");
    private static readonly string NotAPipeline = Absent("a setting of running a pipeline");
    private static readonly string WorkspaceIsProject = Absent("a pipeline runs in the project directory; steps set their own cwd");
    private static readonly string TargetChooses = Absent("the target chosen (OrchestratorGuardrails, OrchestratorPipeline, OrchestratorResume, OrchestratorDiagnostics) sets it");

    /// <summary>All settings, in the order docs/settings.md lists them.</summary>
    public static ImmutableArray<SettingDefinition> All { get; } =
    [
        // ---- where the run is recorded and which configuration applies ----
        new()
        {
            Name = "taskId", Type = "task id", Default = "default",
            Description = "The task the run is recorded under: .runs/<task-id>/. 1-64 of [A-Za-z0-9._-], not . or ..",
            YamlKey = "taskId", EnvironmentVariable = "MCP_RUNNER_TASK_ID", MSBuildProperty = "OrchestratorTaskId",
            Surfaces = Map(msbuildExec: "TaskId", msbuildPipeline: "TaskId", cakeExec: "TaskId", cakePipeline: "TaskId",
                cliExec: "--task", cliPipeline: "--task", sdk: "ExplicitSettings.TaskId", nodeExec: "task", nodePipeline: "task"),
        },
        new()
        {
            Name = "runsRoot", Type = "directory", Default = ".runs at the workspace root",
            Description = "Where runs are written.",
            YamlKey = "runsRoot", EnvironmentVariable = "ORCHESTRATOR_RUNS_ROOT", MSBuildProperty = "OrchestratorRunsRoot",
            Surfaces = Map(msbuildExec: "RunsRoot", msbuildPipeline: "RunsRoot", cakeExec: "RunsRoot", cakePipeline: "RunsRoot",
                cliExec: "--runs-root", cliPipeline: "--runs-root", sdk: "ExplicitSettings.RunsRoot", nodeExec: "runsRoot", nodePipeline: "runsRoot"),
        },
        new()
        {
            Name = "configFile", Type = "file", Default = "orchestrator.yaml at the workspace root",
            Description = "A configuration file to use instead of the repository's.",
            EnvironmentVariable = "ORCHESTRATOR_CONFIG", MSBuildProperty = "OrchestratorConfigFile",
            Surfaces = Map(msbuildExec: "ConfigFile", msbuildPipeline: "ConfigFile", cakeExec: "ConfigFile", cakePipeline: "ConfigFile",
                cliExec: "--config", cliPipeline: "--config", sdk: "RunOptionsResolver.Resolve(configPath)", nodeExec: "config", nodePipeline: "config"),
        },
        new()
        {
            Name = "workingDirectory", Type = "directory", Default = "the project directory (MSBuild), the current directory (elsewhere)",
            Description = "The command's working directory; for a pipeline, the workspace.",
            MSBuildProperty = "OrchestratorWorkingDirectory",
            Surfaces = Map(msbuildExec: "WorkingDirectory", msbuildPipeline: WorkspaceIsProject, cakeExec: "WorkingDirectory", cakePipeline: "WorkingDirectory",
                cliExec: "--cwd", cliPipeline: "--cwd", sdk: "ExecRequest.WorkingDirectory", nodeExec: "cwd", nodePipeline: "cwd"),
        },

        // ---- approvals and the sandbox ----
        new()
        {
            Name = "approvalPolicy", Type = "untrusted | on-failure | on-request | never", Default = "on-failure",
            Description = "When to ask before running or escalating out of the sandbox.",
            YamlKey = "approvalPolicy", EnvironmentVariable = "ORCHESTRATOR_APPROVAL_POLICY", MSBuildProperty = "OrchestratorApprovalPolicy",
            Surfaces = Map(msbuildExec: "ApprovalPolicy", msbuildPipeline: "ApprovalPolicy", cakeExec: "ApprovalPolicy", cakePipeline: "ApprovalPolicy",
                cliExec: "--approval-policy", cliPipeline: "--approval-policy", sdk: "ExplicitSettings.ApprovalPolicy", nodeExec: "approvalPolicy", nodePipeline: "approvalPolicy"),
        },
        new()
        {
            Name = "sandboxMode", Type = "read-only | workspace-write | danger-full-access", Default = "workspace-write",
            Description = "What a command may touch.",
            YamlKey = "sandbox.mode", EnvironmentVariable = "ORCHESTRATOR_SANDBOX", MSBuildProperty = "OrchestratorSandboxMode",
            Surfaces = Map(msbuildExec: "SandboxMode", msbuildPipeline: "SandboxMode", cakeExec: "SandboxMode", cakePipeline: "SandboxMode",
                cliExec: "--sandbox", cliPipeline: "--sandbox", sdk: "ExplicitSettings.SandboxMode", nodeExec: "sandbox", nodePipeline: "sandbox"),
        },
        new()
        {
            Name = "network", Type = "bool", Default = "false",
            Description = "Whether sandboxed commands may use the network.",
            YamlKey = "sandbox.network", EnvironmentVariable = "ORCHESTRATOR_NETWORK", MSBuildProperty = "OrchestratorNetworkAccess",
            Surfaces = Map(msbuildExec: "NetworkAccess", msbuildPipeline: "NetworkAccess", cakeExec: "NetworkAccess", cakePipeline: "NetworkAccess",
                cliExec: "--network", cliPipeline: "--network", sdk: "ExplicitSettings.Network", nodeExec: "network", nodePipeline: "network"),
        },
        new()
        {
            Name = "writableRoots", Type = "directories", Default = "none",
            Description = "Extra directories a workspace-write sandbox may write.",
            YamlKey = "sandbox.writableRoots", EnvironmentVariable = "ORCHESTRATOR_WRITABLE_ROOTS", MSBuildProperty = "OrchestratorWritableRoots",
            Surfaces = Map(msbuildExec: "WritableRoots", msbuildPipeline: "WritableRoots", cakeExec: "WritableRoots", cakePipeline: "WritableRoots",
                cliExec: "--writable-root", cliPipeline: "--writable-root", sdk: "ExplicitSettings.WritableRoots", nodeExec: "writableRoots", nodePipeline: "writableRoots"),
        },
        new()
        {
            Name = "maxProcesses", Type = "count", Default = "4096",
            Description = "Processes and threads per sandboxed command; 0 means no limit.",
            YamlKey = "sandbox.maxProcesses", EnvironmentVariable = "ORCHESTRATOR_SANDBOX_MAX_PROCESSES",
            Surfaces = Map(msbuildExec: LimitsArePolicy, msbuildPipeline: LimitsArePolicy, cakeExec: LimitsArePolicy, cakePipeline: LimitsArePolicy,
                cliExec: LimitsArePolicy, cliPipeline: LimitsArePolicy, sdk: "ExplicitSettings.MaxProcesses", nodeExec: LimitsArePolicy, nodePipeline: LimitsArePolicy),
        },
        new()
        {
            Name = "maxMemoryBytes", Type = "bytes", Default = "8 GiB",
            Description = "Memory per sandboxed command; 0 means no limit.",
            YamlKey = "sandbox.maxMemoryBytes", EnvironmentVariable = "ORCHESTRATOR_SANDBOX_MAX_MEMORY_BYTES",
            Surfaces = Map(msbuildExec: LimitsArePolicy, msbuildPipeline: LimitsArePolicy, cakeExec: LimitsArePolicy, cakePipeline: LimitsArePolicy,
                cliExec: LimitsArePolicy, cliPipeline: LimitsArePolicy, sdk: "ExplicitSettings.MaxMemoryBytes", nodeExec: LimitsArePolicy, nodePipeline: LimitsArePolicy),
        },
        new()
        {
            Name = "requestEscalation", Type = "bool", Default = "false",
            Description = "Ask to run outside the sandbox from the start; needs an approval (a rule or the cache).",
            MSBuildProperty = "OrchestratorRequestEscalation",
            Surfaces = Map(msbuildExec: "RequestEscalation", msbuildPipeline: StepOwn, cakeExec: "RequestEscalation", cakePipeline: StepOwn,
                cliExec: "--request-escalation", cliPipeline: StepOwn, sdk: "ExecRequest.RequestEscalation", nodeExec: "requestEscalation", nodePipeline: StepOwn),
        },

        // ---- retries and time ----
        new()
        {
            Name = "maxAttempts", Type = "1-20", Default = "3",
            Description = "Attempts in all, the first included, for a command that fails transiently.",
            YamlKey = "retries.maxAttempts", EnvironmentVariable = "ORCHESTRATOR_MAX_ATTEMPTS", MSBuildProperty = "OrchestratorMaxAttempts",
            Surfaces = Map(msbuildExec: "MaxAttempts", msbuildPipeline: "MaxAttempts", cakeExec: "MaxAttempts", cakePipeline: "MaxAttempts",
                cliExec: "--max-attempts", cliPipeline: "--max-attempts", sdk: "ExplicitSettings.MaxAttempts", nodeExec: "maxAttempts", nodePipeline: "maxAttempts"),
        },
        new()
        {
            Name = "timeout", Type = "duration", Default = "none",
            Description = "After this long the command's process tree is ended (SIGTERM, then SIGKILL after killGracePeriod).",
            MSBuildProperty = "OrchestratorTimeout",
            Surfaces = Map(msbuildExec: "Timeout", msbuildPipeline: StepOwn, cakeExec: "Timeout", cakePipeline: StepOwn,
                cliExec: "--timeout", cliPipeline: StepOwn, sdk: "ExecRequest.Timeout", nodeExec: "timeout", nodePipeline: StepOwn),
        },
        new()
        {
            Name = "killGracePeriod", Type = "duration", Default = "2s",
            Description = "Between SIGTERM and SIGKILL when a command times out or is cancelled.",
            MSBuildProperty = "OrchestratorKillGracePeriod",
            Surfaces = Map(msbuildExec: "KillGracePeriod", msbuildPipeline: StepOwn, cakeExec: "KillGracePeriod", cakePipeline: StepOwn,
                cliExec: "--kill-grace", cliPipeline: StepOwn, sdk: "RunOptions.KillGracePeriod", nodeExec: "killGrace", nodePipeline: StepOwn),
        },

        // ---- the command ----
        new()
        {
            Name = "command", Type = "shell line", Default = "none",
            Description = "A shell line run with /bin/sh -c. One of command, argv and scriptFile.",
            MSBuildProperty = "OrchestratorCommand",
            Surfaces = Map(msbuildExec: "Command", msbuildPipeline: StepCommand, cakeExec: "Command", cakePipeline: StepCommand,
                cliExec: CliArgv, cliPipeline: StepCommand, sdk: "ExecRequest.Command", nodeExec: Absent("exec(command, args) runs an argv; a shell line is exec('sh', ['-c', line])"), nodePipeline: StepCommand),
        },
        new()
        {
            Name = "argv", Type = "list", Default = "none",
            Description = "The program and its arguments, run without a shell.",
            MSBuildProperty = "@(OrchestratorArgv)",
            Surfaces = Map(msbuildExec: "Argv", msbuildPipeline: StepCommand, cakeExec: "Argv", cakePipeline: StepCommand,
                cliExec: "-- <cmd> [args]", cliPipeline: StepCommand, sdk: "ExecRequest.Command", nodeExec: "exec(command, args)", nodePipeline: StepCommand),
        },
        new()
        {
            Name = "scriptFile", Type = "file", Default = "none",
            Description = "A script run with /bin/sh; the sandbox may read it wherever it is.",
            MSBuildProperty = "OrchestratorScriptFile",
            Surfaces = Map(msbuildExec: "ScriptFile", msbuildPipeline: StepCommand, cakeExec: "ScriptFile", cakePipeline: StepCommand,
                cliExec: CliArgv, cliPipeline: StepCommand, sdk: "ExecRequest.ReadablePaths", nodeExec: Absent("exec('sh', [script, ...args])"), nodePipeline: StepCommand),
        },
        new()
        {
            Name = "scriptArguments", Type = "list", Default = "none",
            Description = "Arguments passed to scriptFile.",
            MSBuildProperty = "@(OrchestratorScriptArgument)",
            Surfaces = Map(msbuildExec: "ScriptArguments", msbuildPipeline: StepCommand, cakeExec: "ScriptArguments", cakePipeline: StepCommand,
                cliExec: CliArgv, cliPipeline: StepCommand, sdk: "ExecRequest.Command", nodeExec: Absent("exec('sh', [script, ...args])"), nodePipeline: StepCommand),
        },
        new()
        {
            Name = "environment", Type = "NAME=value list", Default = "the inherited environment",
            Description = "Variables set for the command (a null value in the SDKs removes one).",
            MSBuildProperty = "OrchestratorEnvironmentVariables",
            Surfaces = Map(msbuildExec: "EnvironmentVariables", msbuildPipeline: StepOwn, cakeExec: "EnvironmentVariables", cakePipeline: StepOwn,
                cliExec: "--env", cliPipeline: StepOwn, sdk: "ExecRequest.Environment", nodeExec: "env", nodePipeline: StepOwn),
        },
        new()
        {
            Name = "commandId", Type = "id", Default = "derived from the program name",
            Description = "The command's id in the manifest and its raw log names: 1-48 of [A-Za-z0-9._-].",
            MSBuildProperty = "OrchestratorCommandId",
            Surfaces = Map(msbuildExec: "CommandId", msbuildPipeline: StepOwn, cakeExec: "CommandId", cakePipeline: StepOwn,
                cliExec: "--id", cliPipeline: StepOwn, sdk: "ExecRequest.Id", nodeExec: "id", nodePipeline: StepOwn),
        },
        new()
        {
            Name = "title", Type = "text", Default = "the command line",
            Description = "How the command is named in logs, errors and the manifest.",
            MSBuildProperty = "OrchestratorTitle",
            Surfaces = Map(msbuildExec: "Title", msbuildPipeline: StepOwn, cakeExec: "Title", cakePipeline: StepOwn,
                cliExec: "--title", cliPipeline: StepOwn, sdk: "ExecRequest.Title", nodeExec: "title", nodePipeline: StepOwn),
        },
        new()
        {
            Name = "ignoreExitCode", Type = "bool", Default = "false",
            Description = "A non-zero exit code is reported, not failed (timeouts, signals, denials still fail).",
            MSBuildProperty = "OrchestratorIgnoreExitCode",
            Surfaces = Map(msbuildExec: "IgnoreExitCode", msbuildPipeline: Absent("steps use continueOnError in orchestrator.yaml"), cakeExec: "IgnoreExitCode", cakePipeline: "IgnoreFailure",
                cliExec: ExitCodeIsTheResult, cliPipeline: ExitCodeIsTheResult, sdk: ExitCodeIsTheResult, nodeExec: ExitCodeIsTheResult, nodePipeline: ExitCodeIsTheResult),
        },

        // ---- terminals and sessions ----
        new()
        {
            Name = "usePty", Type = "bool", Default = "false",
            Description = "Run on a pseudo-terminal (one merged output stream).",
            MSBuildProperty = "OrchestratorUsePty",
            Surfaces = Map(msbuildExec: "UsePty", msbuildPipeline: StepOwn, cakeExec: "UsePty", cakePipeline: StepOwn,
                cliExec: "--pty", cliPipeline: StepOwn, sdk: "ExecRequest.UsePty", nodeExec: "pty", nodePipeline: StepOwn),
        },
        new()
        {
            Name = "sessionId", Type = "id", Default = "none",
            Description = "Run in the reusable PTY session with this id: 1-64 of [A-Za-z0-9._-].",
            MSBuildProperty = "OrchestratorSessionId",
            Surfaces = Map(msbuildExec: "SessionId", msbuildPipeline: StepOwn, cakeExec: "SessionId", cakePipeline: StepOwn,
                cliExec: "--session", cliPipeline: StepOwn, sdk: "ExecRequest.SessionId", nodeExec: "session", nodePipeline: StepOwn),
        },
        new()
        {
            Name = "persistSession", Type = "bool", Default = "true",
            Description = "Keep the session for later commands after this one.",
            MSBuildProperty = "OrchestratorPersistSession",
            Surfaces = Map(msbuildExec: "PersistSession", msbuildPipeline: StepOwn, cakeExec: "PersistSession", cakePipeline: StepOwn,
                cliExec: OneProcess, cliPipeline: StepOwn, sdk: "ExecRequest.PersistSession", nodeExec: OneProcess, nodePipeline: StepOwn),
        },
        new()
        {
            Name = "terminalColumns", Type = "1-1000", Default = "120",
            Description = "Terminal width for usePty and sessionId.",
            MSBuildProperty = "OrchestratorTerminalColumns",
            Surfaces = Map(msbuildExec: "TerminalColumns", msbuildPipeline: StepOwn, cakeExec: "TerminalColumns", cakePipeline: StepOwn,
                cliExec: "--columns", cliPipeline: StepOwn, sdk: "ExecRequest.Terminal", nodeExec: "columns", nodePipeline: StepOwn),
        },
        new()
        {
            Name = "terminalRows", Type = "1-1000", Default = "40",
            Description = "Terminal height for usePty and sessionId.",
            MSBuildProperty = "OrchestratorTerminalRows",
            Surfaces = Map(msbuildExec: "TerminalRows", msbuildPipeline: StepOwn, cakeExec: "TerminalRows", cakePipeline: StepOwn,
                cliExec: "--rows", cliPipeline: StepOwn, sdk: "ExecRequest.Terminal", nodeExec: "rows", nodePipeline: StepOwn),
        },

        // ---- output ----
        new()
        {
            Name = "eventBudgetBytes", Type = "bytes", Default = "1 MiB",
            Description = "Output bytes per command sent as exec:chunk events; 0 = unlimited (raw logs keep everything).",
            YamlKey = "output.eventBudgetBytes", EnvironmentVariable = "ORCHESTRATOR_EVENT_BUDGET_BYTES", MSBuildProperty = "OrchestratorOutputEventBudget",
            Surfaces = Map(msbuildExec: "OutputEventBudget", msbuildPipeline: StepOwn, cakeExec: "OutputEventBudget", cakePipeline: StepOwn,
                cliExec: "--event-budget", cliPipeline: StepOwn, sdk: "ExplicitSettings.EventBudgetBytes", nodeExec: "eventBudget", nodePipeline: StepOwn),
        },
        new()
        {
            Name = "captureBytes", Type = "bytes", Default = "64 KiB",
            Description = "Head and tail bytes of each stream kept in the manifest.",
            YamlKey = "output.captureBytes", EnvironmentVariable = "ORCHESTRATOR_CAPTURE_BYTES", MSBuildProperty = "OrchestratorOutputCaptureBytes",
            Surfaces = Map(msbuildExec: "OutputCaptureBytes", msbuildPipeline: StepOwn, cakeExec: "OutputCaptureBytes", cakePipeline: StepOwn,
                cliExec: "--capture-bytes", cliPipeline: StepOwn, sdk: "ExplicitSettings.CaptureBytes", nodeExec: "captureBytes", nodePipeline: StepOwn),
        },
        new()
        {
            Name = "echoOff", Type = "bool", Default = "false",
            Description = "Do not log the command line.",
            MSBuildProperty = "OrchestratorEchoOff",
            Surfaces = Map(msbuildExec: "EchoOff", msbuildPipeline: Absent("steps are logged by id"), cakeExec: "EchoOff", cakePipeline: "EchoOff",
                cliExec: Absent("the CLI does not echo the command; its caller wrote it"), cliPipeline: Absent("the CLI does not echo step commands"),
                sdk: Absent("the SDK logs nothing"), nodeExec: Absent("the SDK logs nothing"), nodePipeline: Absent("the SDK logs nothing")),
        },
        new()
        {
            Name = "standardOutputImportance", Type = "High | Normal | Low", Default = "High",
            Description = "The MSBuild importance of the command's stdout lines.",
            MSBuildProperty = "OrchestratorStandardOutputImportance",
            Surfaces = Map(msbuildExec: "StandardOutputImportance", msbuildPipeline: "StandardOutputImportance", cakeExec: MSBuildLogOnly, cakePipeline: MSBuildLogOnly,
                cliExec: MSBuildLogOnly, cliPipeline: MSBuildLogOnly, sdk: MSBuildLogOnly, nodeExec: MSBuildLogOnly, nodePipeline: MSBuildLogOnly),
        },
        new()
        {
            Name = "standardErrorImportance", Type = "High | Normal | Low", Default = "High",
            Description = "The MSBuild importance of the command's stderr lines.",
            MSBuildProperty = "OrchestratorStandardErrorImportance",
            Surfaces = Map(msbuildExec: "StandardErrorImportance", msbuildPipeline: Absent("a pipeline logs each step's output at StandardOutputImportance"), cakeExec: MSBuildLogOnly, cakePipeline: MSBuildLogOnly,
                cliExec: MSBuildLogOnly, cliPipeline: MSBuildLogOnly, sdk: MSBuildLogOnly, nodeExec: MSBuildLogOnly, nodePipeline: MSBuildLogOnly),
        },
        new()
        {
            Name = "logStandardErrorAsError", Type = "bool", Default = "false",
            Description = "Log each stderr line as an MSBuild error, as Exec does.",
            MSBuildProperty = "OrchestratorLogStandardErrorAsError",
            Surfaces = Map(msbuildExec: "LogStandardErrorAsError", msbuildPipeline: StepOwn, cakeExec: MSBuildLogOnly, cakePipeline: MSBuildLogOnly,
                cliExec: MSBuildLogOnly, cliPipeline: MSBuildLogOnly, sdk: MSBuildLogOnly, nodeExec: MSBuildLogOnly, nodePipeline: MSBuildLogOnly),
        },
        new()
        {
            Name = "consoleToMSBuild", Type = "bool", Default = "false",
            Description = "Return the output lines in the ConsoleOutput item, as Exec does.",
            Surfaces = Map(msbuildExec: "ConsoleToMSBuild", msbuildPipeline: StepOwn, cakeExec: Absent("the result carries stdout and stderr"), cakePipeline: MSBuildLogOnly,
                cliExec: MSBuildLogOnly, cliPipeline: MSBuildLogOnly, sdk: Absent("the result carries the output"), nodeExec: Absent("exec:chunk events carry the output"), nodePipeline: MSBuildLogOnly),
        },
        new()
        {
            Name = "outputVerbosity", Type = "Cake verbosity", Default = "Normal",
            Description = "The Cake verbosity the command's output is logged at.",
            Surfaces = Map(msbuildExec: CakeLogOnly, msbuildPipeline: CakeLogOnly, cakeExec: "OutputVerbosity", cakePipeline: "OutputVerbosity",
                cliExec: CakeLogOnly, cliPipeline: CakeLogOnly, sdk: CakeLogOnly, nodeExec: CakeLogOnly, nodePipeline: CakeLogOnly),
        },
        new()
        {
            Name = "outputFormat", Type = "human | jsonl | json (exec); text | json (start, resume)", Default = "human at a terminal, jsonl otherwise; text",
            Description = "What the CLI prints on stdout.",
            Surfaces = Map(msbuildExec: CliOutputOnly, msbuildPipeline: CliOutputOnly, cakeExec: CliOutputOnly, cakePipeline: CliOutputOnly,
                cliExec: "--jsonl | --json", cliPipeline: "--format", sdk: CliOutputOnly, nodeExec: NodeOutputOnly, nodePipeline: NodeOutputOnly),
        },

        // ---- telemetry and notifications ----
        new()
        {
            Name = "otelEndpoint", Type = "url | off", Default = "off",
            Description = "Send the run's traces and metrics to this OTLP endpoint.",
            YamlKey = "telemetry.endpoint", EnvironmentVariable = "OTEL_EXPORTER_OTLP_ENDPOINT", MSBuildProperty = "OrchestratorOtelEndpoint",
            Surfaces = Map(msbuildExec: "OtelEndpoint", msbuildPipeline: "OtelEndpoint", cakeExec: "OtelEndpoint", cakePipeline: "OtelEndpoint",
                cliExec: "--otel-endpoint", cliPipeline: "--otel-endpoint", sdk: "RunOptions.OtelEndpoint", nodeExec: "otelEndpoint", nodePipeline: "otelEndpoint"),
        },
        new()
        {
            Name = "notify", Type = "targets", Default = "none",
            Description = "Where the run:summary goes when the run ends: http(s) webhooks or command:<program>.",
            YamlKey = "notify", EnvironmentVariable = "ORCHESTRATOR_NOTIFY", MSBuildProperty = "OrchestratorNotify",
            Surfaces = Map(msbuildExec: "Notify", msbuildPipeline: "Notify", cakeExec: "Notify", cakePipeline: "Notify",
                cliExec: "--notify", cliPipeline: "--notify", sdk: "RunOptions.Notify", nodeExec: "notify", nodePipeline: "notify"),
        },

        // ---- pipelines ----
        new()
        {
            Name = "pipelineName", Type = "name", Default = "diagnostics (CLI start)",
            Description = "The pipeline of orchestrator.yaml to run.",
            MSBuildProperty = "OrchestratorPipelineName",
            Surfaces = Map(msbuildExec: NotAPipeline, msbuildPipeline: "PipelineName", cakeExec: NotAPipeline, cakePipeline: Absent("the alias takes it as its name argument"),
                cliExec: NotAPipeline, cliPipeline: "start <pipeline>", sdk: "OrchestratorClient.RunPipelineAsync(name)", nodeExec: NotAPipeline, nodePipeline: Absent("the Node SDK resumes pipelines; orchestrator start runs one")),
        },
        new()
        {
            Name = "resumeRunId", Type = "run id | resume token | latest", Default = "none",
            Description = "The failed, cancelled or stale pipeline run to resume.",
            MSBuildProperty = "OrchestratorResumeRunId",
            Surfaces = Map(msbuildExec: NotAPipeline, msbuildPipeline: "ResumeRunId", cakeExec: NotAPipeline, cakePipeline: Absent("the resume alias takes it as an argument"),
                cliExec: NotAPipeline, cliPipeline: "resume <run>", sdk: "OrchestratorClient.ResumeAsync(runIdOrToken)", nodeExec: NotAPipeline, nodePipeline: "resume(run)"),
        },
        new()
        {
            Name = "dryRun", Type = "bool", Default = "false",
            Description = "Guardrails: built-in checks report what they find without failing.",
            MSBuildProperty = "OrchestratorGuardrailsDryRun",
            Surfaces = Map(msbuildExec: NotAPipeline, msbuildPipeline: "DryRun", cakeExec: NotAPipeline, cakePipeline: "DryRun",
                cliExec: NotAPipeline, cliPipeline: "--dry-run", sdk: "OrchestratorClient.RunGuardrailsAsync(dryRun)", nodeExec: NotAPipeline, nodePipeline: Absent("a resumed run keeps how it was started")),
        },
        new()
        {
            Name = "failOnNeedsReview", Type = "bool", Default = "false",
            Description = "Guardrails recommending needs-review fail the build instead of warning.",
            MSBuildProperty = "OrchestratorGuardrailsFailOnNeedsReview",
            Surfaces = Map(msbuildExec: NotAPipeline, msbuildPipeline: "FailOnNeedsReview", cakeExec: NotAPipeline, cakePipeline: Absent("the result carries the recommendation; the script decides"),
                cliExec: NotAPipeline, cliPipeline: Absent("the exit code and --format json carry the recommendation"), sdk: Absent("the result carries the recommendation"), nodeExec: NotAPipeline, nodePipeline: Absent("the result carries the recommendation")),
        },
        new()
        {
            Name = "pipelineKind", Type = "guardrails | pipeline | resume | diagnostics", Default = "set by the target",
            Description = "Which kind of pipeline run the OrchestratorPipeline task starts.",
            Surfaces = Map(msbuildExec: NotAPipeline, msbuildPipeline: "Kind", cakeExec: NotAPipeline, cakePipeline: Absent("one alias per kind"),
                cliExec: NotAPipeline, cliPipeline: Absent("start <pipeline> and resume <run>"), sdk: Absent("one OrchestratorClient method per kind"), nodeExec: NotAPipeline, nodePipeline: Absent("resume() only")),
        },

        // ---- how the Node SDK starts the CLI ----
        new()
        {
            Name = "cli", Type = "path", Default = "ORCHESTRATOR_CLI, else orchestrator on PATH",
            Description = "The orchestrator executable the Node SDK starts.",
            Surfaces = Map(msbuildExec: NodeTransportOnly, msbuildPipeline: NodeTransportOnly, cakeExec: NodeTransportOnly, cakePipeline: NodeTransportOnly,
                cliExec: NodeTransportOnly, cliPipeline: NodeTransportOnly, sdk: NodeTransportOnly, nodeExec: "cli", nodePipeline: "cli"),
        },
        new()
        {
            Name = "processEnv", Type = "environment", Default = "process.env",
            Description = "The environment the Node SDK starts the CLI with (the command's own variables are env).",
            Surfaces = Map(msbuildExec: NodeTransportOnly, msbuildPipeline: NodeTransportOnly, cakeExec: NodeTransportOnly, cakePipeline: NodeTransportOnly,
                cliExec: NodeTransportOnly, cliPipeline: NodeTransportOnly, sdk: NodeTransportOnly, nodeExec: "processEnv", nodePipeline: "processEnv"),
        },
        new()
        {
            Name = "spawnCwd", Type = "directory", Default = "this process's",
            Description = "The working directory the Node SDK starts the CLI in.",
            Surfaces = Map(msbuildExec: NodeTransportOnly, msbuildPipeline: NodeTransportOnly, cakeExec: NodeTransportOnly, cakePipeline: NodeTransportOnly,
                cliExec: NodeTransportOnly, cliPipeline: NodeTransportOnly, sdk: NodeTransportOnly, nodeExec: "spawnCwd", nodePipeline: "spawnCwd"),
        },
        new()
        {
            Name = "signal", Type = "AbortSignal", Default = "none",
            Description = "Cancels the run (SIGINT to the CLI, which ends the command's process tree).",
            Surfaces = Map(msbuildExec: Absent("MSBuild cancels the task (Ctrl+C)"), msbuildPipeline: Absent("MSBuild cancels the task (Ctrl+C)"),
                cakeExec: Absent("the script process is interrupted"), cakePipeline: Absent("the script process is interrupted"),
                cliExec: Absent("SIGINT or SIGTERM to the CLI"), cliPipeline: Absent("SIGINT or SIGTERM to the CLI"),
                sdk: Absent("a CancellationToken on every call"), nodeExec: "signal", nodePipeline: Absent("resume() runs to its end; SIGINT the process to stop it")),
        },
    ];

    private static readonly Lazy<ImmutableDictionary<string, SettingDefinition>> ByName =
        new(() => All.ToImmutableDictionary(s => s.Name, StringComparer.Ordinal));

    /// <summary>The setting named <paramref name="name"/> (canonical name).</summary>
    /// <exception cref="KeyNotFoundException">No setting has that name.</exception>
    public static SettingDefinition Get(string name) => ByName.Value[name];

    /// <summary>The name <paramref name="surface"/> gives the setting, or its canonical name where the surface has none.</summary>
    public static string NameIn(SettingSurface surface, string name) => Get(name).NameIn(surface) ?? name;

    private static ImmutableDictionary<SettingSurface, string> Map(
        string msbuildExec, string msbuildPipeline, string cakeExec, string cakePipeline,
        string cliExec, string cliPipeline, string sdk, string nodeExec, string nodePipeline) =>
        new Dictionary<SettingSurface, string>
        {
            [SettingSurface.MSBuildExec] = msbuildExec,
            [SettingSurface.MSBuildPipeline] = msbuildPipeline,
            [SettingSurface.CakeExec] = cakeExec,
            [SettingSurface.CakePipeline] = cakePipeline,
            [SettingSurface.CliExec] = cliExec,
            [SettingSurface.CliPipeline] = cliPipeline,
            [SettingSurface.DotNetSdk] = sdk,
            [SettingSurface.NodeExec] = nodeExec,
            [SettingSurface.NodePipeline] = nodePipeline,
        }.ToImmutableDictionary();
}
