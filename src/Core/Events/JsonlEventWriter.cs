using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Orchestrator.Core.Json;

namespace Orchestrator.Core.Events;

/// <summary>
/// Appends events to events.jsonl: one whole line per event written with a single write call (a
/// reader or a crash never sees half an event), hashed as it goes so the SHA-256 is ready when the
/// file closes without reading it back.
/// </summary>
public sealed class JsonlEventWriter : IExecEventSink, IDisposable
{
    private readonly FileStream _stream;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private readonly Utf8JsonWriter _json;
    private readonly Lock _gate = new();
    private string? _sha256;
    private bool _closed;

    public JsonlEventWriter(string path)
    {
        _stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);
        _json = new Utf8JsonWriter(_buffer, JsonDefaults.EventWriterOptions);
    }

    public long EventCount { get; private set; }

    public long BytesWritten { get; private set; }

    public void Emit(ExecEvent executionEvent) => Write(executionEvent);

    /// <summary>
    /// Writes the event and returns its line (newline included). The span is this writer's buffer:
    /// valid until the next write, so only a caller that serializes its writes may keep it that long.
    /// </summary>
    internal ReadOnlySpan<byte> Write(ExecEvent executionEvent)
    {
        lock (_gate)
        {
            if (_closed)
            {
                throw new InvalidOperationException("The events file is already closed.");
            }

            _buffer.ResetWrittenCount();
            _json.Reset(_buffer);
            ExecEventSerializer.Write(_json, executionEvent);
            _json.Flush();
            _buffer.Write("\n"u8);
            ReadOnlySpan<byte> line = _buffer.WrittenSpan;
            _stream.Write(line);
            _hash.AppendData(line);
            BytesWritten += line.Length;
            EventCount++;
            return line;
        }
    }

    /// <summary>Closes the file and returns the lowercase hex SHA-256 of everything written.</summary>
    public string Close(bool durable = false)
    {
        lock (_gate)
        {
            if (!_closed)
            {
                _closed = true;
                if (durable)
                {
                    _stream.Flush(flushToDisk: true);
                }

                _stream.Dispose();
                _sha256 = Convert.ToHexStringLower(_hash.GetHashAndReset());
            }

            return _sha256!;
        }
    }

    public void Dispose()
    {
        Close();
        _json.Dispose();
        _hash.Dispose();
    }
}
