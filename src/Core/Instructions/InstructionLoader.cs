using System.Collections.Immutable;
using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Instructions;

/// <summary>
/// Resolves the AGENTS.md hierarchy for a working directory: the global directory, then the
/// repository root and every directory down to the working directory. The result is recorded
/// (its hash and sources go into each run's manifest), never obeyed: nothing loaded here may
/// relax or otherwise influence the approval policy or the sandbox.
/// </summary>
public static class InstructionLoader
{
    /// <summary>Wins over <see cref="FileName"/> in the same directory.</summary>
    public const string OverrideFileName = "AGENTS.override.md";

    public const string FileName = "AGENTS.md";

    /// <summary>The largest budget accepted: the composed text is held, hashed and recorded in memory.</summary>
    public const int MaxBudgetBytes = 256 * 1024 * 1024;

    /// <summary>One blank line between files.</summary>
    internal const string Separator = "\n\n";

    /// <summary>
    /// Bytes read past the budget from the file that crosses it: one shows the file goes on, and up
    /// to three more complete the character straddling the cut so its validity can be judged.
    /// </summary>
    internal const int ReadAhead = 4;

    /// <summary>
    /// Loads and composes the instructions. Never throws for file problems (missing, empty, binary,
    /// unreadable, not a regular file, symlink loops): each becomes a warning. Throws only for
    /// invalid arguments.
    /// </summary>
    /// <param name="environment">Reads <c>ORCHESTRATOR_HOME</c> and <c>HOME</c> (injected so callers and tests control them).</param>
    public static InstructionSet Load(InstructionOptions options, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        if (string.IsNullOrWhiteSpace(options.WorkingDirectory) || options.WorkingDirectory.Contains('\0'))
        {
            throw new ArgumentException("The working directory must be a non-empty path.", nameof(options));
        }

        if (options.BudgetBytes is <= 0 or > MaxBudgetBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BudgetBytes, $"The budget must be between 1 and {MaxBudgetBytes} bytes.");
        }

        if (options.GlobalDirectory is not null && (string.IsNullOrWhiteSpace(options.GlobalDirectory) || options.GlobalDirectory.Contains('\0')))
        {
            throw new ArgumentException("The global directory, when given, must be a non-empty path.", nameof(options));
        }

        ImmutableArray<string> names = CandidateNames(options.FallbackNames);
        string workingDirectory = Path.GetFullPath(options.WorkingDirectory);
        var warnings = new List<string>();
        if (!Directory.Exists(workingDirectory))
        {
            warnings.Add($"{workingDirectory}: the working directory is not an existing directory");
        }

        var composer = new InstructionComposer(options.BudgetBytes, warnings);
        foreach (var (directory, scope) in Places(options, environment, workingDirectory, warnings))
        {
            composer.Add(directory, scope, names);
        }

        return composer.Build();
    }

    private static ImmutableArray<string> CandidateNames(ImmutableArray<string> fallbackNames)
    {
        var names = ImmutableArray.CreateBuilder<string>();
        names.Add(OverrideFileName);
        names.Add(FileName);
        foreach (string name in fallbackNames.IsDefault ? [] : fallbackNames)
        {
            if (string.IsNullOrWhiteSpace(name) || name.Contains('\0') || Path.IsPathRooted(name)
                || name.Split('/').Any(segment => segment == ".."))
            {
                throw new ArgumentException($"The fallback name '{name}' must be a relative path inside the directory (no '..').", "options");
            }

            if (!names.Contains(name, StringComparer.Ordinal))
            {
                names.Add(name);
            }
        }

        return names.ToImmutable();
    }

    /// <summary>The directories to search, root to leaf, each once.</summary>
    private static List<(string Directory, string Scope)> Places(
        InstructionOptions options, Func<string, string?> environment, string workingDirectory, List<string> warnings)
    {
        var places = new List<(string Directory, string Scope)>();
        string? global = GlobalDirectory(options, environment, workingDirectory, warnings);
        if (global is not null)
        {
            places.Add((global, InstructionScope.Global));
        }

        string? root = WorkspaceLocator.FindGitRoot(workingDirectory);
        if (root is null)
        {
            places.Add((workingDirectory, InstructionScope.Directory));
        }
        else
        {
            places.Add((root, InstructionScope.Repo));
            string current = root;
            string relative = Path.GetRelativePath(root, workingDirectory);
            if (relative != ".")
            {
                foreach (string segment in relative.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
                {
                    current = Path.Join(current, segment);
                    places.Add((current, InstructionScope.Directory));
                }
            }
        }

        // A global directory inside the repository must not have its file counted twice; the
        // first (global) position wins because that is where the user pointed it.
        // A loop, not Where().ToList(): LINQ over a value tuple is compiled on every process's first run.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var distinct = new List<(string Directory, string Scope)>(places.Count);
        foreach (var place in places)
        {
            if (seen.Add(Path.TrimEndingDirectorySeparator(place.Directory)))
            {
                distinct.Add(place);
            }
        }

        return distinct;
    }

    private static string? GlobalDirectory(
        InstructionOptions options, Func<string, string?> environment, string workingDirectory, List<string> warnings)
    {
        string? directory = options.GlobalDirectory;
        string source = "the global directory option";
        if (directory is null)
        {
            string? home = environment("ORCHESTRATOR_HOME");
            string? userHome = environment("HOME");
            if (!string.IsNullOrEmpty(home))
            {
                directory = home;
                source = "ORCHESTRATOR_HOME";
            }
            else if (!string.IsNullOrEmpty(userHome))
            {
                directory = Path.Join(userHome, ".orchestrator");
                source = "HOME";
            }
            else
            {
                return null;
            }
        }

        try
        {
            return Path.GetFullPath(directory, workingDirectory);
        }
        catch (ArgumentException)
        {
            // An environment value is outside the caller's control: a bad one costs the global
            // instructions, not the run.
            warnings.Add($"{directory}: the global directory from {source} is not a usable path; no global instructions were loaded");
            return null;
        }
    }
}
