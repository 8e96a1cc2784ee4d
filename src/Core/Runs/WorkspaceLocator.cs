namespace Orchestrator.Core.Runs;

/// <summary>
/// Where things are: the workspace root (the nearest directory holding <c>.git</c>, a directory or a
/// worktree file, else the start directory), its runs root, and the configuration files that decide
/// what a run may do (which the sandbox must keep read-only).
/// </summary>
public static class WorkspaceLocator
{
    public const string DefaultRunsDirectoryName = ".runs";

    /// <summary>The repository's configuration file, at the workspace root.</summary>
    public const string ConfigFileName = "orchestrator.yaml";

    /// <summary>The variable that moves the user's configuration directory.</summary>
    public const string XdgConfigHomeVariable = "XDG_CONFIG_HOME";

    /// <summary><c>$XDG_CONFIG_HOME/orchestrator/config.yaml</c>, <c>XDG_CONFIG_HOME</c> defaulting to <c>~/.config</c>; null without either.</summary>
    public static string? UserConfigFile(Func<string, string?> environment, string? homeDirectory)
    {
        ArgumentNullException.ThrowIfNull(environment);

        // The XDG spec says a relative value is invalid and must be ignored, not resolved against the cwd.
        string? configHome = environment(XdgConfigHomeVariable) is { Length: > 0 } xdg && Path.IsPathFullyQualified(xdg)
            ? xdg
            : homeDirectory is not null ? Path.Combine(homeDirectory, ".config") : null;
        return configHome is null ? null : Path.GetFullPath(Path.Combine(configHome, "orchestrator", "config.yaml"));
    }

    public static string? FindGitRoot(string startDirectory)
    {
        var directory = new DirectoryInfo(Path.GetFullPath(startDirectory));
        while (directory is not null)
        {
            string git = Path.Combine(directory.FullName, ".git");
            if (Directory.Exists(git) || File.Exists(git))
            {
                return directory.FullName;
            }

            directory = directory.Parent;
        }

        return null;
    }

    public static string FindWorkspaceRoot(string startDirectory) =>
        FindGitRoot(startDirectory) ?? Path.GetFullPath(startDirectory);

    public static string DefaultRunsRoot(string startDirectory) =>
        Path.Combine(FindWorkspaceRoot(startDirectory), DefaultRunsDirectoryName);
}
