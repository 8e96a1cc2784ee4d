using System.Collections.Immutable;
using System.Text;

namespace Orchestrator.Core.Exec;

/// <summary>
/// What to run: either an argv (no shell involved, every argument passed verbatim) or a shell line
/// run as <c>/bin/sh -c line</c>. Immutable; build with <see cref="FromArgv(IEnumerable{string})"/>
/// or <see cref="FromShell(string, string)"/>.
/// </summary>
public sealed record CommandSpec
{
    public const string DefaultShell = "/bin/sh";

    private CommandSpec(ImmutableArray<string> argv, string? shellLine)
    {
        Argv = argv;
        ShellLine = shellLine;
    }

    /// <summary>The argv that is executed (for a shell line: the shell, <c>-c</c> and the line).</summary>
    public ImmutableArray<string> Argv { get; }

    /// <summary>The shell line when the command is a shell line, otherwise null.</summary>
    public string? ShellLine { get; }

    public bool IsShell => ShellLine is not null;

    /// <summary>The program as the user wrote it (argv[0], or the shell for a shell line).</summary>
    public string Program => Argv[0];

    public static CommandSpec FromArgv(IEnumerable<string> argv)
    {
        ArgumentNullException.ThrowIfNull(argv);
        var items = argv.ToImmutableArray();
        if (items.IsEmpty || string.IsNullOrEmpty(items[0]))
        {
            throw new ArgumentException("A command needs at least a program name.", nameof(argv));
        }

        foreach (string item in items)
        {
            if (item is null || item.Contains('\0'))
            {
                throw new ArgumentException("Command arguments cannot be null or contain NUL characters.", nameof(argv));
            }
        }

        return new CommandSpec(items, null);
    }

    public static CommandSpec FromArgv(params string[] argv) => FromArgv((IEnumerable<string>)argv);

    public static CommandSpec FromShell(string line, string shell = DefaultShell)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (string.IsNullOrWhiteSpace(line))
        {
            throw new ArgumentException("A shell command line cannot be empty.", nameof(line));
        }

        if (line.Contains('\0'))
        {
            throw new ArgumentException("A shell command line cannot contain NUL characters.", nameof(line));
        }

        return new CommandSpec([shell, "-c", line], line);
    }

    /// <summary>
    /// How the command reads to a person: the shell line as written, or the argv quoted so that
    /// pasting it into a POSIX shell runs the same thing.
    /// </summary>
    public string Display => ShellLine ?? QuoteArgv(Argv);

    public static string QuoteArgv(IEnumerable<string> argv)
    {
        var builder = new StringBuilder();
        foreach (string arg in argv)
        {
            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append(QuoteArgument(arg));
        }

        return builder.ToString();
    }

    public static string QuoteArgument(string arg)
    {
        if (arg.Length == 0)
        {
            return "''";
        }

        foreach (char c in arg)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '=' or '+' or ',' or '@' or '%'))
            {
                return "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
            }
        }

        return arg;
    }

    public bool Equals(CommandSpec? other) =>
        other is not null && ShellLine == other.ShellLine && Argv.SequenceEqual(other.Argv);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(ShellLine);
        foreach (string arg in Argv)
        {
            hash.Add(arg);
        }

        return hash.ToHashCode();
    }
}
