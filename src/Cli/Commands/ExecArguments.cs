using System.CommandLine;
using System.CommandLine.Parsing;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// What an <c>exec</c> command line asked for, before any of it is checked: the flags as given and
/// the command after <c>--</c>. Two parsers produce it and must agree (ExecArgumentsTests holds
/// them to that): System.CommandLine, the one behind help, errors and every unusual spelling, and
/// <see cref="TryParseCommon"/>, which reads the common spellings without building the command
/// tree, since an <c>exec</c> starts once per CI command and the tree costs about a fifth of its
/// start-up (docs/cli.md#start-up).
/// </summary>
internal sealed record ExecArguments
{
    public bool Jsonl { get; init; }

    public bool Json { get; init; }

    public string? Cwd { get; init; }

    public string? Task { get; init; }

    public string? RunsRoot { get; init; }

    public string? Config { get; init; }

    public string? ApprovalPolicy { get; init; }

    public string? Sandbox { get; init; }

    /// <summary>Null when <c>--network</c> was not given; true for a bare <c>--network</c>.</summary>
    public bool? Network { get; init; }

    public bool Pty { get; init; }

    public string? Session { get; init; }

    public string? Timeout { get; init; }

    public IReadOnlyList<string> Env { get; init; } = [];

    public string? EventBudget { get; init; }

    public string? Id { get; init; }

    public string? OtelEndpoint { get; init; }

    public IReadOnlyList<string> Notify { get; init; } = [];

    public IReadOnlyList<string> WritableRoots { get; init; } = [];

    public string? MaxAttempts { get; init; }

    public bool RequestEscalation { get; init; }

    public string? KillGrace { get; init; }

    public string? Title { get; init; }

    public string? CaptureBytes { get; init; }

    public string? Columns { get; init; }

    public string? Rows { get; init; }

    /// <summary>The program and its arguments.</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    /// <summary>A token before <c>--</c> that looks like a flag but is none of ours (a typo); only System.CommandLine lets one through.</summary>
    public string? UnknownOption { get; init; }

    /// <summary>The values System.CommandLine parsed (see <see cref="ExecCommand"/> for the options).</summary>
    public static ExecArguments From(ParseResult parse, ExecOptions options)
    {
        string[] argv = parse.GetValue(options.CommandLine) ?? [];

        // The parser hands an unknown '-x' before '--' to the command argument; it is a mistyped flag.
        int afterDoubleDash = parse.Tokens.SkipWhile(t => t.Type != TokenType.DoubleDash).Skip(1).Count();
        return new ExecArguments
        {
            Jsonl = parse.GetValue(options.Jsonl),
            Json = parse.GetValue(options.Json),
            Cwd = parse.GetValue(options.Cwd),
            Task = parse.GetValue(options.Task),
            RunsRoot = parse.GetValue(options.RunsRoot),
            Config = parse.GetValue(options.Config),
            ApprovalPolicy = parse.GetValue(options.ApprovalPolicy),
            Sandbox = parse.GetValue(options.Sandbox),
            Network = parse.GetResult(options.Network) is null ? null : parse.GetValue(options.Network) ?? true,
            Pty = parse.GetValue(options.Pty),
            Session = parse.GetValue(options.Session),
            Timeout = parse.GetValue(options.Timeout),
            Env = parse.GetValue(options.Env) ?? [],
            EventBudget = parse.GetValue(options.EventBudget),
            Id = parse.GetValue(options.Id),
            OtelEndpoint = parse.GetValue(options.OtelEndpoint),
            Notify = parse.GetValue(options.Notify) ?? [],
            WritableRoots = parse.GetValue(options.WritableRoot) ?? [],
            MaxAttempts = parse.GetValue(options.MaxAttempts),
            RequestEscalation = parse.GetValue(options.RequestEscalation),
            KillGrace = parse.GetValue(options.KillGrace),
            Title = parse.GetValue(options.Title),
            CaptureBytes = parse.GetValue(options.CaptureBytes),
            Columns = parse.GetValue(options.Columns),
            Rows = parse.GetValue(options.Rows),
            Command = argv,
            UnknownOption = argv.Take(argv.Length - afterDoubleDash).FirstOrDefault(a => a.StartsWith('-')),
        };
    }

    /// <summary>
    /// Reads <paramref name="args"/> (what follows <c>exec</c>) when it is in the common shape: known
    /// flags, each given at most once (<c>--env</c> and <c>--notify</c> may repeat), a value as the
    /// next token or after <c>=</c>, then <c>--</c> and the command. Anything else (help, an unknown
    /// or repeated flag, a value that is missing, empty, starts with '-' or is not one of a flag's
    /// choices, a response file, a word before <c>--</c>, no command) returns false, and the caller
    /// lets System.CommandLine parse it, answer it and word its errors.
    /// </summary>
    public static bool TryParseCommon(ReadOnlySpan<string> args, out ExecArguments parsed)
    {
        parsed = new ExecArguments();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        List<string>? env = null;
        List<string>? notify = null;
        List<string>? writableRoots = null;
        for (int i = 0; i < args.Length; i++)
        {
            string token = args[i];
            if (token == "--")
            {
                if (i + 1 >= args.Length)
                {
                    return false;
                }

                parsed = parsed with { Command = args[(i + 1)..].ToArray(), Env = env ?? [], Notify = notify ?? [], WritableRoots = writableRoots ?? [] };
                return true;
            }

            if (!token.StartsWith("--", StringComparison.Ordinal))
            {
                return false;
            }

            string name = token;
            string? inline = null;
            int delimiter = token.AsSpan(2).IndexOfAny('=', ':');
            if (delimiter >= 0)
            {
                if (token[2 + delimiter] != '=')
                {
                    return false;
                }

                name = token[..(2 + delimiter)];
                inline = token[(3 + delimiter)..];
            }

            bool repeatable = name is "--env" or "--notify" or "--writable-root";
            if (!repeatable && !seen.Add(name))
            {
                return false;
            }

            if (name is "--jsonl" or "--json" or "--pty" or "--network" or "--request-escalation")
            {
                // A flag alone; "--jsonl true" and the like are System.CommandLine's to read.
                if (inline is not null || (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)))
                {
                    return false;
                }

                parsed = name switch
                {
                    "--jsonl" => parsed with { Jsonl = true },
                    "--json" => parsed with { Json = true },
                    "--pty" => parsed with { Pty = true },
                    "--request-escalation" => parsed with { RequestEscalation = true },
                    _ => parsed with { Network = true },
                };
                continue;
            }

            string? value = inline;
            if (value is null)
            {
                if (i + 1 >= args.Length)
                {
                    return false;
                }

                value = args[++i];
            }

            if (value.Length == 0 || value[0] is '-' or '@')
            {
                return false;
            }

            switch (name)
            {
                case "--cwd": parsed = parsed with { Cwd = value }; break;
                case "--task": parsed = parsed with { Task = value }; break;
                case "--runs-root": parsed = parsed with { RunsRoot = value }; break;
                case "--config": parsed = parsed with { Config = value }; break;
                case "--approval-policy" when ExecOptions.ApprovalPolicies.Contains(value): parsed = parsed with { ApprovalPolicy = value }; break;
                case "--sandbox" when ExecOptions.SandboxModes.Contains(value): parsed = parsed with { Sandbox = value }; break;
                case "--session": parsed = parsed with { Session = value }; break;
                case "--timeout": parsed = parsed with { Timeout = value }; break;
                case "--event-budget": parsed = parsed with { EventBudget = value }; break;
                case "--id": parsed = parsed with { Id = value }; break;
                case "--otel-endpoint": parsed = parsed with { OtelEndpoint = value }; break;
                case "--env": (env ??= []).Add(value); break;
                case "--notify": (notify ??= []).Add(value); break;
                case "--writable-root": (writableRoots ??= []).Add(value); break;
                case "--max-attempts": parsed = parsed with { MaxAttempts = value }; break;
                case "--kill-grace": parsed = parsed with { KillGrace = value }; break;
                case "--title": parsed = parsed with { Title = value }; break;
                case "--capture-bytes": parsed = parsed with { CaptureBytes = value }; break;
                case "--columns": parsed = parsed with { Columns = value }; break;
                case "--rows": parsed = parsed with { Rows = value }; break;
                default: return false;
            }

            // One value per occurrence: a second word is System.CommandLine's to place.
            if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                return false;
            }
        }

        return false;
    }
}
