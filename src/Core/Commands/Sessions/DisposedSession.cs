using Orchestrator.Core.Exec;

namespace Orchestrator.Core.Commands.Sessions;

/// <summary>A session that was ended, and why (pruned, replaced, disposed).</summary>
public sealed record DisposedSession(SessionInfo Info, string Reason);
