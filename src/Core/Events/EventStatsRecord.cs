namespace Orchestrator.Core.Events;

/// <summary>How much of a command's output travelled as <c>exec:chunk</c> events and how much did not (budget spent).</summary>
/// <param name="Chunks">Chunk events emitted.</param>
/// <param name="Bytes">Output bytes carried by those events.</param>
/// <param name="NotEmittedChunks">Chunks that would have been emitted past the budget (of the configured chunk size, rounded up per read).</param>
/// <param name="NotEmittedBytes">Output bytes not emitted as events (still in the raw logs).</param>
/// <param name="BudgetBytes">The per-command budget in force; 0 = unlimited.</param>
public sealed record EventStatsRecord(long Chunks, long Bytes, long NotEmittedChunks, long NotEmittedBytes, long BudgetBytes);
