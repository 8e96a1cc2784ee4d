using System.Collections.Immutable;

namespace Orchestrator.Core.Exec;

/// <summary>A fully resolved process start: absolute program path, argv, directory and the complete environment.</summary>
/// <param name="ExecutablePath">Absolute path of the program to execute.</param>
/// <param name="Argv">The argv the program sees (argv[0] as the user wrote it).</param>
/// <param name="WorkingDirectory">Absolute working directory.</param>
/// <param name="Environment">The complete environment of the child as <c>NAME=value</c> entries.</param>
public sealed record ProcessLaunch(
    string ExecutablePath,
    ImmutableArray<string> Argv,
    string WorkingDirectory,
    ImmutableArray<string> Environment);
