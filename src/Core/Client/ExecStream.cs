using System.Runtime.CompilerServices;
using Orchestrator.Core.Commands;
using Orchestrator.Core.Events;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Runs;

namespace Orchestrator.Core;

/// <summary>
/// One command run as a stream: enumerate it (<c>await foreach</c>) to receive its events while the
/// command runs, then read <see cref="Result"/>; or just <c>await</c> it for the <see cref="RunResult"/>.
/// </summary>
/// <remarks>
/// The run starts on the first enumeration (or on <see cref="Result"/>/<c>await</c>), once. Events are
/// buffered up to <see cref="ChannelEventSink.Capacity"/>; a consumer that falls behind slows the
/// command down instead of growing memory. Cancelling the token, or leaving the loop before the
/// end, ends the command's process tree and records the run as cancelled (the enumeration waits
/// for that record to be written). Every event is also in the run's events.jsonl.
/// </remarks>
public sealed class ExecStream : IAsyncEnumerable<ExecEvent>
{
    private readonly OrchestratorClient _client;
    private readonly ExecRequest _request;
    private readonly RunOptions _options;
    private readonly CancellationToken _cancellationToken;
    private readonly Lock _gate = new();
    private Task<RunResult>? _run;
    private bool _enumerated;

    internal ExecStream(OrchestratorClient client, ExecRequest request, RunOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        _client = client;
        _request = request;
        _options = options ?? new RunOptions();
        _cancellationToken = cancellationToken;
    }

    /// <summary>The run's outcome; starts the run without streaming if it has not started yet.</summary>
    public Task<RunResult> Result
    {
        get
        {
            lock (_gate)
            {
                return _run ??= _client.ExecAsync(_request, _options, _cancellationToken);
            }
        }
    }

    public TaskAwaiter<RunResult> GetAwaiter() => Result.GetAwaiter();

    /// <exception cref="InvalidOperationException">The stream was already enumerated or awaited: a run happens once.</exception>
    public IAsyncEnumerator<ExecEvent> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        var sink = new ChannelEventSink();
        var stop = CancellationTokenSource.CreateLinkedTokenSource(_cancellationToken, cancellationToken);
        lock (_gate)
        {
            if (_enumerated || _run is not null)
            {
                stop.Dispose();
                throw new InvalidOperationException("This ExecStream has already started its run; a run is streamed once.");
            }

            _enumerated = true;
            var options = _options with { Sinks = [.. _options.Sinks, sink] };
            _run = RunAsync(options, sink, stop.Token);
        }

        return Enumerate(sink, stop);
    }

    private async Task<RunResult> RunAsync(RunOptions options, ChannelEventSink sink, CancellationToken token)
    {
        // Off the caller's thread: the consumer must be free to read while the run emits.
        await Task.Yield();
        try
        {
            var result = await _client.ExecAsync(_request, options, token).ConfigureAwait(false);
            sink.Complete();
            return result;
        }
        catch (Exception ex)
        {
            sink.Complete(ex);
            throw;
        }
    }

    private async IAsyncEnumerator<ExecEvent> Enumerate(ChannelEventSink sink, CancellationTokenSource stop)
    {
        bool finished = false;
        try
        {
            while (await sink.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (sink.Reader.TryRead(out ExecEvent? next))
                {
                    yield return next;
                }
            }

            finished = true;
        }
        finally
        {
            if (!finished)
            {
                // Left early: end the command, let the run record itself, and unblock its emits.
                await stop.CancelAsync().ConfigureAwait(false);
                await DrainAsync(sink).ConfigureAwait(false);
            }

            try
            {
                await _run!.ConfigureAwait(false);
            }
            catch (Exception) when (!finished)
            {
                // Surfaced through Result; leaving the loop early is not an error of the loop.
            }
            finally
            {
                stop.Dispose();
            }
        }
    }

    private static async Task DrainAsync(ChannelEventSink sink)
    {
        try
        {
            while (await sink.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (sink.Reader.TryRead(out _))
                {
                }
            }
        }
        catch (Exception)
        {
            // The run's own failure; it propagates from the loop or from Result.
        }
    }
}
