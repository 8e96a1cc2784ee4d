namespace Orchestrator.Core.Events;

/// <summary>A failure the runtime itself reports (start failure, recording failure), with a stable code.</summary>
/// <param name="Code">Stable, e.g. <c>ProgramNotFound</c>, <c>WorkingDirectoryNotFound</c>, <c>PermissionDenied</c>.</param>
/// <param name="Message">What happened, naming the program, path or directory.</param>
public sealed record ErrorRecord(string Code, string Message);
