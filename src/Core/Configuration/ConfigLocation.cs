namespace Orchestrator.Core.Configuration;

/// <summary>Where a value was written: a file and the 1-based line and column of its YAML node.</summary>
public sealed record ConfigLocation(string FilePath, int Line, int Column)
{
    /// <summary>Compiler style, <c>path:line:column</c>, so editors and CI logs can jump to it.</summary>
    public override string ToString() => $"{FilePath}:{Line}:{Column}";
}
