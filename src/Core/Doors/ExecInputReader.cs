using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Orchestrator.Core.Commands;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Outcomes;
using Orchestrator.Core.Settings;
using Orchestrator.Core.Validation;

namespace Orchestrator.Core.Doors;

/// <summary>
/// Turns what a door received into an <see cref="ExecRequest"/>, or into the one problem that stops
/// it, worded from the message catalogue with the parameter named as the door names it
/// (<see cref="SettingsTable"/>). Every door that runs a command calls this, so a value is refused,
/// and refused in the same words, whichever door it came through.
/// </summary>
public static class ExecInputReader
{
    /// <summary>Reads <paramref name="input"/> as <paramref name="surface"/> received it.</summary>
    /// <returns>True with <paramref name="request"/> set, or false with <paramref name="problem"/> set.</returns>
    public static bool TryRead(ExecInput input, SettingSurface surface, [NotNullWhen(true)] out ExecRequest? request, [NotNullWhen(false)] out OutcomeMessage? problem)
    {
        ArgumentNullException.ThrowIfNull(input);
        request = null;
        string Name(string setting) => SettingsTable.NameIn(surface, setting);

        if (!TryCommand(input, surface, out CommandSpec? spec, out ImmutableArray<string> readable, out problem) ||
            !TryEnvironment(input, Name, out var environment, out problem) ||
            !TryTimeout(input, Name, out TimeSpan? timeout, out problem) ||
            !TryTerminal(input, Name, out TerminalSize? terminal, out problem))
        {
            // Each check that fails sets the problem.
            System.Diagnostics.Debug.Assert(problem is not null);
            return false;
        }

        string? sessionId = Blank(input.SessionId) ? null : input.SessionId!.Trim();
        if (sessionId is not null && !SessionId.IsValid(sessionId, out _))
        {
            problem = MessageCatalogue.InvalidValue(Name("sessionId"), sessionId, $"use 1-{SessionId.MaxLength} characters from {IdentifierRules.Alphabet}");
            return false;
        }

        string? commandId = Blank(input.CommandId) ? null : input.CommandId!.Trim();
        if (commandId is not null && !CommandId.IsValid(commandId, out string? idProblem))
        {
            problem = MessageCatalogue.InvalidValue(Name("commandId"), commandId, idProblem!);
            return false;
        }

        request = new ExecRequest
        {
            Command = spec!,
            UsePty = input.UsePty,
            SessionId = sessionId,
            PersistSession = input.PersistSession,
            Terminal = terminal,
            RequestEscalation = input.RequestEscalation,
            ReadablePaths = readable,
            WorkingDirectory = input.WorkingDirectory,
            Environment = environment,
            Timeout = timeout,
            Id = commandId,
            Title = Blank(input.Title) ? null : input.Title,
        };
        return true;
    }

    private static bool TryCommand(ExecInput input, SettingSurface surface, out CommandSpec? spec, out ImmutableArray<string> readable, out OutcomeMessage? problem)
    {
        spec = null;
        readable = [];
        problem = null;
        int given = (Blank(input.Command) ? 0 : 1) + (input.Argv is { Count: > 0 } ? 1 : 0) + (Blank(input.ScriptFile) ? 0 : 1);
        if (given == 0)
        {
            problem = MessageCatalogue.NothingToRun(Described(surface, "command"), Described(surface, "argv"), Described(surface, "scriptFile"));
            return false;
        }

        if (given > 1)
        {
            // Only when refusing: the table is not needed on the way to a run.
            string Name(string setting) => SettingsTable.NameIn(surface, setting);
            var names = new List<string>(3);
            if (!Blank(input.Command))
            {
                names.Add(Name("command"));
            }

            if (input.Argv is { Count: > 0 })
            {
                names.Add(Name("argv"));
            }

            if (!Blank(input.ScriptFile))
            {
                names.Add(Name("scriptFile"));
            }

            problem = MessageCatalogue.ConflictingCommand(Name("command"), Name("argv"), Name("scriptFile"), names);
            return false;
        }

        if (!Blank(input.Command))
        {
            spec = CommandSpec.FromShell(input.Command!);
        }
        else if (input.Argv is { Count: > 0 } items)
        {
            spec = CommandSpec.FromArgv(items);
        }
        else
        {
            string path = Path.GetFullPath(input.ScriptFile!, input.WorkingDirectory);
            if (!File.Exists(path))
            {
                problem = MessageCatalogue.ScriptNotFound(path);
                return false;
            }

            spec = CommandSpec.FromArgv([CommandSpec.DefaultShell, path, .. input.ScriptArguments ?? []]);
            readable = [path];
        }

        return true;
    }

    // MSBuild names the property a build engineer sets beside the task parameter.
    private static string Described(SettingSurface surface, string setting)
    {
        var definition = SettingsTable.Get(setting);
        string name = definition.NameIn(surface) ?? setting;
        return surface == SettingSurface.MSBuildExec && definition.MSBuildProperty is { } property ? $"{name} ({property})" : name;
    }

    private static bool TryEnvironment(ExecInput input, Func<string, string> name, out ImmutableDictionary<string, string?> environment, out OutcomeMessage? problem)
    {
        problem = null;
        environment = ImmutableDictionary<string, string?>.Empty.WithComparers(StringComparer.Ordinal);
        if (input.EnvironmentEntries is { Count: > 0 } entries)
        {
            if (!EnvironmentOverlay.TryParseEntries(entries, out var parsed, out string? bad, out string? why))
            {
                problem = MessageCatalogue.InvalidEnvironmentEntry(name("environment"), bad!, why!);
                return false;
            }

            environment = environment.SetItems(parsed);
        }

        if (input.EnvironmentVariables is { Count: > 0 } variables)
        {
            if (!EnvironmentOverlay.TryCreate(variables, out var created, out string? bad, out string? why))
            {
                problem = MessageCatalogue.InvalidEnvironmentEntry(name("environment"), bad ?? "", why!);
                return false;
            }

            environment = environment.SetItems(created);
        }

        return true;
    }

    private static bool TryTimeout(ExecInput input, Func<string, string> name, out TimeSpan? timeout, out OutcomeMessage? problem)
    {
        timeout = null;
        problem = null;
        if (Blank(input.Timeout))
        {
            return true;
        }

        if (!Durations.TryParse(input.Timeout, input.PlainDurationUnit, out TimeSpan parsed, out string? why))
        {
            problem = MessageCatalogue.InvalidValue(name("timeout"), input.Timeout!.Trim(), why!);
            return false;
        }

        timeout = parsed;
        return true;
    }

    private static bool TryTerminal(ExecInput input, Func<string, string> name, out TerminalSize? terminal, out OutcomeMessage? problem)
    {
        terminal = null;
        problem = null;
        int? columns = null;
        int? rows = null;
        if (!TryDimension(input.TerminalColumns, () => name("terminalColumns"), ref columns, ref problem) ||
            !TryDimension(input.TerminalRows, () => name("terminalRows"), ref rows, ref problem))
        {
            return false;
        }

        if (columns is not null || rows is not null)
        {
            terminal = new TerminalSize(columns ?? TerminalSize.Default.Columns, rows ?? TerminalSize.Default.Rows);
        }

        return true;
    }

    private static bool TryDimension(string? text, Func<string> parameter, ref int? value, ref OutcomeMessage? problem)
    {
        if (Blank(text))
        {
            return true;
        }

        if (!int.TryParse(text!.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) || parsed is < 1 or > 1000)
        {
            problem = MessageCatalogue.InvalidValue(parameter(), text.Trim(), "use 1-1000");
            return false;
        }

        value = parsed;
        return true;
    }

    private static bool Blank(string? text) => string.IsNullOrWhiteSpace(text);
}
