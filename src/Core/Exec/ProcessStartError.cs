namespace Orchestrator.Core.Exec;

/// <summary>A start failure reported as data, never as an exception escaping the runtime.</summary>
/// <param name="Kind">The failure class.</param>
/// <param name="Message">A sentence a build engineer can act on (names the program, path or directory).</param>
/// <param name="Errno">The OS error number when the OS reported one.</param>
public sealed record ProcessStartError(StartFailureKind Kind, string Message, int? Errno = null);
