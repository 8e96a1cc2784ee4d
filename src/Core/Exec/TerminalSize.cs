namespace Orchestrator.Core.Exec;

/// <summary>A terminal's size in character cells.</summary>
/// <param name="Columns">Width (1..1000).</param>
/// <param name="Rows">Height (1..1000).</param>
public sealed record TerminalSize(int Columns, int Rows)
{
    /// <summary>What CI logs show best: wide enough for compiler diagnostics.</summary>
    public static TerminalSize Default { get; } = new(120, 40);

    public void Validate()
    {
        if (Columns is < 1 or > 1000 || Rows is < 1 or > 1000)
        {
            throw new OrchestratorException(OrchestratorErrorCode.InvalidRequest, $"A terminal size must be 1-1000 columns by 1-1000 rows (got {Columns}x{Rows}).");
        }
    }
}
