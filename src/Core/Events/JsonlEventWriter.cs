using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Orchestrator.Core.Json;
using Orchestrator.Core.Native;

namespace Orchestrator.Core.Events;

/// <summary>
/// Appends events to events.jsonl: one whole line per event written with a single write call (a
/// reader or a crash never sees half an event), hashed as it goes so the SHA-256 is ready when the
/// file closes without reading it back.
/// </summary>
/// <remarks>
/// A write that fails part-way (a full disk, an I/O error) cuts the file back to where the line
/// began, so the file keeps only whole lines, and the writer refuses every later event: a line
/// after a gap would make the file claim events it lost. The hash covers exactly the lines kept.
/// </remarks>
public sealed unsafe class JsonlEventWriter : IExecEventSink, IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private readonly Utf8JsonWriter _json;
    private readonly Lock _gate = new();
    private int _fd;
    private string? _sha256;
    private bool _closed;
    private IOException? _failure;

    /// <summary>Creates <paramref name="path"/> (it must not exist); its directory is trusted as given.</summary>
    public JsonlEventWriter(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        string directory = System.IO.Path.GetDirectoryName(full) ?? ".";
        using SafeDirectory handle = SafeDirectory.Open(directory, directory, create: false);
        (_fd, Path) = (Create(handle, System.IO.Path.GetFileName(full)), full);
        _json = new Utf8JsonWriter(_buffer, JsonDefaults.EventWriterOptions);
    }

    /// <summary>Creates <paramref name="name"/> in a verified directory, never through a link.</summary>
    internal JsonlEventWriter(SafeDirectory directory, string name)
    {
        (_fd, Path) = (Create(directory, name), System.IO.Path.Combine(directory.FullPath, name));
        _json = new Utf8JsonWriter(_buffer, JsonDefaults.EventWriterOptions);
    }

    public string Path { get; }

    public long EventCount { get; private set; }

    public long BytesWritten { get; private set; }

    /// <summary>The write failure that stopped this file, if one did.</summary>
    public IOException? Failure
    {
        get
        {
            lock (_gate)
            {
                return _failure;
            }
        }
    }

    public void Emit(ExecEvent executionEvent) => Write(executionEvent);

    /// <summary>
    /// Writes the event and returns its line (newline included). The span is this writer's buffer:
    /// valid until the next write, so only a caller that serializes its writes may keep it that long.
    /// Throws <see cref="IOException"/> (naming the file) when the line could not be written whole.
    /// </summary>
    internal ReadOnlySpan<byte> Write(ExecEvent executionEvent)
    {
        lock (_gate)
        {
            if (_closed)
            {
                throw new InvalidOperationException("The events file is already closed.");
            }

            if (_failure is not null)
            {
                throw new IOException(_failure.Message, _failure);
            }

            _buffer.ResetWrittenCount();
            _json.Reset(_buffer);
            ExecEventSerializer.Write(_json, executionEvent);
            _json.Flush();
            _buffer.Write("\n"u8);
            ReadOnlySpan<byte> line = _buffer.WrittenSpan;
            WriteLine(line);
            _hash.AppendData(line);
            BytesWritten += line.Length;
            EventCount++;
            return line;
        }
    }

    /// <summary>Closes the file and returns the lowercase hex SHA-256 of everything written (whole lines only).</summary>
    public string Close(bool durable = false)
    {
        lock (_gate)
        {
            if (!_closed)
            {
                _closed = true;
                if (durable && _fd >= 0 && LibC.fsync(_fd) != 0)
                {
                    _failure ??= SafeDirectory.Io(Path, "sync", Marshal.GetLastPInvokeError());
                }

                LibC.CloseIfOpen(ref _fd);
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

    private static int Create(SafeDirectory directory, string name) =>
        directory.OpenFile(name, LibC.O_WRONLY | LibC.O_CREAT | LibC.O_EXCL | LibC.O_APPEND);

    /// <summary>The line whole, or the file cut back to the line's start and the writer stopped.</summary>
    private void WriteLine(ReadOnlySpan<byte> line)
    {
        int errno = WholeLine.AppendOrCutBack(_fd, line, BytesWritten);
        if (errno != 0)
        {
            _failure = SafeDirectory.Io(Path, "append to", errno);
            throw _failure;
        }
    }
}
