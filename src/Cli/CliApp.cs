using System.CommandLine;
using System.CommandLine.Help;
using Orchestrator.Cli.Commands;

namespace Orchestrator.Cli;

/// <summary>The command tree, and the one place parse errors and our own failures become exit codes.</summary>
internal static class CliApp
{
    public static RootCommand CreateRoot() => new("""
        orchestrator: run CI commands through approvals, a bubblewrap sandbox and retries, with
        streamed JSONL events and a schema-valid manifest under .runs/<task>/cli/<run-id>/.
        Flags, output formats and exit codes: docs/cli.md.

        Examples:
          orchestrator exec -- dotnet test
          orchestrator exec --jsonl --timeout 10m -- make ci | tee events.jsonl
          orchestrator start                      (built-in diagnostics)
          orchestrator start guardrails --format json
          orchestrator resume latest
          orchestrator review --task build
          orchestrator status --task build --watch
          orchestrator verify .runs/build/cli/<run-id>/manifest.json
        """)
    {
        ExecCommand.Create(),
        StartCommand.Create(),
        ResumeCommand.Create(),
        ReviewCommand.Create(),
        StatusCommand.Create(),
        VerifyCommand.Create(),
    };

    public static async Task<int> RunAsync(string[] args)
    {
        var root = CreateRoot();
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync($"orchestrator: {error.Message}").ConfigureAwait(false);
            }

            await Console.Error.WriteLineAsync("Run 'orchestrator --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        // Signals are ours (SignalCancellation): the run must record itself as cancelled before we exit.
        return await ReportingErrorsAsync(() => parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false })).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>exec</c> in its common shape, read without the command tree (see
    /// <see cref="ExecArguments.TryParseCommon"/>); null when the command line is not in that shape
    /// and <see cref="RunAsync"/> must parse it.
    /// </summary>
    public static Task<int>? TryRunCommonExec(string[] args) =>
        args.Length > 1 && args[0] == "exec" && ExecArguments.TryParseCommon(args.AsSpan(1), out ExecArguments arguments)
            ? ReportingErrorsAsync(() => ExecCommand.RunAsync(arguments))
            : null;

    private static async Task<int> ReportingErrorsAsync(Func<Task<int>> command)
    {
        try
        {
            return await command().ConfigureAwait(false);
        }
        catch (CliError ex)
        {
            await Console.Error.WriteLineAsync($"orchestrator: {ex.Message}").ConfigureAwait(false);
            return ex.ExitCode;
        }
    }
}
