using Orchestrator.Core.Exec;

namespace Orchestrator.Core.Commands.Sessions;

/// <summary>A session handed out by <see cref="ExecSessionManager.GetOrStartAsync"/>.</summary>
/// <param name="Session">The session to run in.</param>
/// <param name="Created">Started for this call (a <c>session:created</c> event is due).</param>
/// <param name="ReplacedBecause">When a session with this id existed but its shell had ended: why (it was replaced).</param>
/// <param name="Disposed">Sessions ended to make room or replaced (each a <c>session:disposed</c> event).</param>
public sealed record SessionLease(ExecSession Session, bool Created, string? ReplacedBecause, IReadOnlyList<DisposedSession> Disposed);
