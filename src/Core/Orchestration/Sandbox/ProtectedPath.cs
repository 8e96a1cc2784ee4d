namespace Orchestrator.Core.Orchestration.Sandbox;

/// <summary>Existence as the sandbox's protection sees it: a link counts, even one that points nowhere.</summary>
internal static class ProtectedPath
{
    public static bool Exists(string path) => Path.Exists(path) || new FileInfo(path).LinkTarget is not null;
}
