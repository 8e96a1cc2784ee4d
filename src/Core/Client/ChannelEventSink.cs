using System.Threading.Channels;
using Orchestrator.Core.Events;

namespace Orchestrator.Core;

/// <summary>
/// Hands a run's events to an async consumer through a bounded channel. When the consumer falls
/// behind, <see cref="Emit"/> blocks the producing thread: the command's output pipe fills and the
/// command waits, so memory stays bounded by <see cref="Capacity"/> events whatever it prints.
/// </summary>
internal sealed class ChannelEventSink : IExecEventSink
{
    public const int Capacity = 256;

    private readonly Channel<ExecEvent> _channel = Channel.CreateBounded<ExecEvent>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        SingleWriter = false,
        FullMode = BoundedChannelFullMode.Wait,
    });

    public ChannelReader<ExecEvent> Reader => _channel.Reader;

    public void Emit(ExecEvent executionEvent)
    {
        while (!_channel.Writer.TryWrite(executionEvent))
        {
            // False once completed: the consumer is gone, the event is still in events.jsonl.
            if (!_channel.Writer.WaitToWriteAsync().AsTask().GetAwaiter().GetResult())
            {
                return;
            }
        }
    }

    public void Complete(Exception? error = null) => _channel.Writer.TryComplete(error);
}
