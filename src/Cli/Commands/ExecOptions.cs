using System.CommandLine;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// The <c>exec</c> command's flags for System.CommandLine. An instance, not statics: the common
/// command line is read without them (<see cref="ExecArguments.TryParseCommon"/>), and then none
/// of them should be built.
/// </summary>
internal sealed class ExecOptions
{
    /// <summary>
    /// The wire names of <c>ApprovalPolicy</c> and <c>SandboxMode</c>, spelled out: reading them from
    /// the enums' attributes would put the process's first reflection on every command line's
    /// critical path (ExecCommandTests checks that the lists agree with the enums).
    /// </summary>
    public static readonly string[] ApprovalPolicies = ["untrusted", "on-failure", "on-request", "never"];

    public static readonly string[] SandboxModes = ["read-only", "workspace-write", "danger-full-access"];

    public Option<bool> Jsonl { get; } = new("--jsonl") { Description = "Events, one JSON object per line, on stdout (the default when stdout is not a terminal)." };

    public Option<bool> Json { get; } = new("--json") { Description = "One JSON summary document on stdout when the run ends." };

    public Option<string?> Cwd { get; } = new("--cwd") { Description = "The command's working directory (default: the current directory).", HelpName = "dir" };

    public Option<string?> Task { get; } = new("--task") { Description = "Task id (default: MCP_RUNNER_TASK_ID, then configuration, then 'default').", HelpName = "id" };

    public Option<string?> RunsRoot { get; } = new("--runs-root") { Description = "Where runs are written (default: .runs at the workspace root).", HelpName = "dir" };

    public Option<string?> Config { get; } = new("--config") { Description = "A configuration file to use instead of the repository's orchestrator.yaml.", HelpName = "file" };

    public Option<string?> ApprovalPolicy { get; } = CreateEnumOption("--approval-policy", ApprovalPolicies, "When to ask before running or escalating (default: configuration, else on-failure).");

    public Option<string?> Sandbox { get; } = CreateEnumOption("--sandbox", SandboxModes, "What the command may touch (default: configuration, else workspace-write).");

    public Option<bool?> Network { get; } = new("--network") { Description = "Allow sandboxed commands the network: --network, --network true|false (default: configuration, else false).", Arity = ArgumentArity.ZeroOrOne };

    public Option<bool> Pty { get; } = new("--pty") { Description = "Run on a pseudo-terminal (one merged output stream) instead of pipes." };

    public Option<string?> Session { get; } = new("--session") { Description = "Run in the PTY session with this id (1-64 of [A-Za-z0-9._-]); ended when the command ends.", HelpName = "id" };

    public Option<string?> Timeout { get; } = new("--timeout") { Description = "End the command's process tree after this long: 250ms, 30s, 5m, 1h or plain seconds.", HelpName = "duration" };

    public Option<string[]> Env { get; } = new("--env") { Description = "Set a variable for the command: --env NAME=value (repeatable).", HelpName = "NAME=value", Arity = ArgumentArity.ZeroOrMore };

    public Option<string?> EventBudget { get; } = new("--event-budget") { Description = "Bytes of output per command sent as exec:chunk events (default 1 MiB; 0 = unlimited).", HelpName = "bytes" };

    public Option<string?> Id { get; } = new("--id") { Description = "The command's id in the manifest and its raw log names ([A-Za-z0-9._-]).", HelpName = "id" };

    public Option<string?> OtelEndpoint { get; } = new("--otel-endpoint") { Description = "Send the run's traces and metrics to this OTLP endpoint (beats OTEL_EXPORTER_OTLP_ENDPOINT and the configuration; 'off' disables).", HelpName = "url" };

    public Option<string[]> Notify { get; } = new("--notify") { Description = "Send the run:summary to a target when the run ends: an http(s):// webhook or command:<program> [args] (repeatable; replaces ORCHESTRATOR_NOTIFY and the configuration).", HelpName = "target", Arity = ArgumentArity.ZeroOrMore };

    public Option<string[]> WritableRoot { get; } = new("--writable-root") { Description = "Another directory a workspace-write sandbox may write (repeatable; replaces sandbox.writableRoots and ORCHESTRATOR_WRITABLE_ROOTS).", HelpName = "dir", Arity = ArgumentArity.ZeroOrMore };

    public Option<string?> MaxAttempts { get; } = new("--max-attempts") { Description = "Attempts in all for a command that fails transiently, 1-20 (default: configuration, else 3).", HelpName = "n" };

    public Option<bool> RequestEscalation { get; } = new("--request-escalation") { Description = "Ask to run outside the sandbox from the start; needs an approval (a rule or the cache)." };

    public Option<string?> KillGrace { get; } = new("--kill-grace") { Description = "Between SIGTERM and SIGKILL on timeout or cancel (default 2s; 0 kills at once).", HelpName = "duration" };

    public Option<string?> Title { get; } = new("--title") { Description = "What the manifest and messages call the command (default: the command line).", HelpName = "text" };

    public Option<string?> CaptureBytes { get; } = new("--capture-bytes") { Description = "Head and tail bytes of each stream kept in the manifest (default 64 KiB).", HelpName = "bytes" };

    public Option<string?> Columns { get; } = new("--columns") { Description = "Terminal width with --pty or --session, 1-1000 (default 120).", HelpName = "n" };

    public Option<string?> Rows { get; } = new("--rows") { Description = "Terminal height with --pty or --session, 1-1000 (default 40).", HelpName = "n" };

    public Argument<string[]> CommandLine { get; } = new("command") { Description = "The program and its arguments, after --.", Arity = ArgumentArity.ZeroOrMore };

    public void AddTo(Command command)
    {
        foreach (Option option in (Option[])[Jsonl, Json, Cwd, Task, RunsRoot, Config, ApprovalPolicy, Sandbox, Network, WritableRoot, MaxAttempts, RequestEscalation, Pty, Session, Columns, Rows, Timeout, KillGrace, Env, EventBudget, CaptureBytes, Id, Title, OtelEndpoint, Notify])
        {
            command.Options.Add(option);
        }

        command.Arguments.Add(CommandLine);
    }

    internal static Option<string?> CreateEnumOption(string name, string[] values, string description)
    {
        var option = new Option<string?>(name) { Description = description, HelpName = string.Join("|", values) };
        option.AcceptOnlyFromAmong(values);
        return option;
    }
}
