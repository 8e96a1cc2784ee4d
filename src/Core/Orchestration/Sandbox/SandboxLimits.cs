namespace Orchestrator.Core.Orchestration.Sandbox;

/// <summary>
/// What one sandboxed command may consume, counted over every process it starts. The defaults
/// leave room for a parallel <c>dotnet build</c> (an MSBuild node and the compiler server run
/// hundreds of threads, and threads count as processes) and stop a fork bomb or a memory hog
/// long before a small CI machine runs out.
/// </summary>
/// <param name="MaxProcesses">Processes and threads, together; 0 means no limit.</param>
/// <param name="MaxMemoryBytes">Memory; 0 means no limit. With cgroups it bounds the whole sandbox; with rlimits each process's data segment.</param>
public sealed record SandboxLimits(int MaxProcesses, long MaxMemoryBytes)
{
    public const int DefaultMaxProcesses = 4096;

    public const long DefaultMaxMemoryBytes = 8L * 1024 * 1024 * 1024;

    public static SandboxLimits Default { get; } = new(DefaultMaxProcesses, DefaultMaxMemoryBytes);

    public static SandboxLimits None { get; } = new(0, 0);

    public bool IsEmpty => MaxProcesses <= 0 && MaxMemoryBytes <= 0;
}
