using System.Buffers;
using System.Text.Json;
using Orchestrator.Core.Events;
using Orchestrator.Core.Json;

namespace Orchestrator.Cli.Output;

/// <summary>
/// `exec --jsonl`: each event as one line on stdout, written with one write call as it happens (no
/// buffering across events, so a reader sees each event at once). A blocked reader slows the command
/// down (the pipe is the buffer). When the reader goes away (EPIPE), writing stops and the run goes
/// on, recorded in full; <see cref="Broken"/> makes the exit code <see cref="ExitCodes.OutputClosed"/>.
/// </summary>
internal sealed class JsonlStdoutSink : IExecEventLineSink, IDisposable
{
    private readonly Stream _stdout;
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private readonly Utf8JsonWriter _json;
    private readonly Lock _gate = new();

    public JsonlStdoutSink(Stream stdout)
    {
        _stdout = stdout;
        _json = new Utf8JsonWriter(_buffer, JsonDefaults.EventWriterOptions);
    }

    public bool Broken { get; private set; }

    public void Emit(ExecEvent executionEvent)
    {
        lock (_gate)
        {
            if (Broken)
            {
                return;
            }

            _buffer.ResetWrittenCount();
            _json.Reset(_buffer);
            ExecEventSerializer.Write(_json, executionEvent);
            _json.Flush();
            _buffer.Write("\n"u8);
            Write(_buffer.WrittenSpan);
        }
    }

    /// <summary>The run's own events.jsonl line, written as is: each event is serialized once.</summary>
    public void EmitLine(ExecEvent executionEvent, ReadOnlySpan<byte> line)
    {
        lock (_gate)
        {
            if (!Broken)
            {
                Write(line);
            }
        }
    }

    private void Write(ReadOnlySpan<byte> line)
    {
        try
        {
            _stdout.Write(line);
        }
        catch (IOException)
        {
            Broken = true;
        }
    }

    public void Dispose() => _json.Dispose();
}
