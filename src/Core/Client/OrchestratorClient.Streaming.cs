using Orchestrator.Core.Commands;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Runs;

namespace Orchestrator.Core;

public sealed partial class OrchestratorClient
{
    /// <summary>
    /// Runs one command with default options (task from <c>MCP_RUNNER_TASK_ID</c>, runs under the
    /// workspace's <c>.runs</c>), as a stream: <c>await foreach</c> its events while it runs, then
    /// read <see cref="ExecStream.Result"/>; or <c>await</c> it for the result alone.
    /// </summary>
    public ExecStream ExecAsync(ExecRequest request, CancellationToken cancellationToken) =>
        new(this, request, null, cancellationToken);

    /// <summary>Runs one command as a stream of its events, with explicit options (see <see cref="ExecStream"/>).</summary>
    public ExecStream StreamAsync(ExecRequest request, RunOptions? options = null, CancellationToken cancellationToken = default) =>
        new(this, request, options, cancellationToken);
}
