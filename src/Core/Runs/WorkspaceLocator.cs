namespace Orchestrator.Core.Runs;

/// <summary>Finds the workspace root: the nearest directory holding <c>.git</c> (a directory or a worktree file), else the start directory.</summary>
public static class WorkspaceLocator
{
    public const string DefaultRunsDirectoryName = ".runs";

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
