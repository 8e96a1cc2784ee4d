namespace Orchestrator.Core.Instructions;

/// <summary>Where an instruction file was found; the values are the wire names recorded in manifests.</summary>
public static class InstructionScope
{
    /// <summary>The global directory (<c>$ORCHESTRATOR_HOME</c>, else <c>~/.orchestrator</c>).</summary>
    public const string Global = "global";

    /// <summary>The repository root (the git root of the working directory).</summary>
    public const string Repo = "repo";

    /// <summary>A directory below the repository root, down to and including the working directory (or the working directory alone when there is no git root).</summary>
    public const string Directory = "directory";
}
