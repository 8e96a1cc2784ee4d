namespace Orchestrator.Core.Exec;

/// <summary>
/// Bounds on what a command's output may cost: the head+tail kept per stream for the manifest,
/// the bytes per command that travel as <c>exec:chunk</c> events, and the size of one chunk. The
/// raw logs always receive everything.
/// </summary>
/// <param name="CaptureBytes">Head+tail kept per stream (default 64 KiB).</param>
/// <param name="EventBudgetBytes">Bytes per command emitted as chunk events (default 1 MiB; 0 = unlimited).</param>
/// <param name="ChunkBytes">Largest chunk (default and maximum 8 KiB).</param>
public sealed record OutputLimits(int CaptureBytes, long EventBudgetBytes, int ChunkBytes)
{
    public const int MaxChunkBytes = 8 * 1024;

    public static OutputLimits Default { get; } = new(StdioTracker.DefaultCapBytes, 1024 * 1024, MaxChunkBytes);

    public void Validate()
    {
        if (CaptureBytes < 2)
        {
            throw new OrchestratorException(OrchestratorErrorCode.InvalidRequest, $"The output capture cap must be at least 2 bytes (got {CaptureBytes}).");
        }

        if (EventBudgetBytes < 0)
        {
            throw new OrchestratorException(OrchestratorErrorCode.InvalidRequest, $"The event byte budget cannot be negative (got {EventBudgetBytes}); use 0 for unlimited.");
        }

        if (ChunkBytes < 4 || ChunkBytes > MaxChunkBytes)
        {
            throw new OrchestratorException(OrchestratorErrorCode.InvalidRequest, $"The chunk size must be between 4 and {MaxChunkBytes} bytes (got {ChunkBytes}).");
        }
    }
}
