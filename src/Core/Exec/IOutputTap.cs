namespace Orchestrator.Core.Exec;

/// <summary>
/// Sees every byte a command writes, as it is read, whatever the event budget: for doors whose own
/// log must show all output (the MSBuild build log, like <c>Exec</c>). Called on the process I/O
/// thread; blocking here slows the command down (backpressure) but never loses output. A tap that
/// throws is detached and the run goes on.
/// </summary>
public interface IOutputTap
{
    void OnOutput(string execId, OutputStreamKind stream, ReadOnlySpan<byte> data);

    /// <summary>The command's output has ended (all streams closed or drain gave up).</summary>
    void OnCompleted(string execId);
}
