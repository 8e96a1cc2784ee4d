using System.Diagnostics;
using System.Text;
using Orchestrator.Core.Events;
using Orchestrator.Core.Exec;

namespace Orchestrator.Cli.Output;

/// <summary>
/// Human output on a terminal: the command's output as it arrives (every byte, whatever the event
/// budget: it is an output tap), a note per attempt and retry, and a live progress line
/// (<c>… title · 3.2 s · 12 KiB</c>) redrawn in place while the command is between lines.
/// </summary>
internal sealed class HumanConsole : IOutputTap, IExecEventSink, IDisposable
{
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(200);

    private readonly Stream _stdout;
    private readonly Stream _stderr;
    private readonly bool _progress;
    private readonly Lock _gate = new();
    private readonly Timer? _timer;
    private long _started = Stopwatch.GetTimestamp();
    private string _title = string.Empty;
    private long _bytes;
    private bool _atLineStart = true;
    private bool _progressShown;
    private bool _running;

    public HumanConsole(Stream stdout, Stream stderr, bool progress)
    {
        _stdout = stdout;
        _stderr = stderr;
        _progress = progress;
        if (progress)
        {
            _timer = new Timer(static state => ((HumanConsole)state!).Redraw(), this, RedrawInterval, RedrawInterval);
        }
    }

    public void OnOutput(string execId, OutputStreamKind stream, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        lock (_gate)
        {
            ClearProgress();
            _bytes += data.Length;
            Write(stream == OutputStreamKind.Stderr ? _stderr : _stdout, data);
            _atLineStart = data[^1] == (byte)'\n';
        }
    }

    public void OnCompleted(string execId)
    {
    }

    public void Emit(ExecEvent executionEvent)
    {
        switch (executionEvent.Payload)
        {
            case ExecBeginPayload begin:
                lock (_gate)
                {
                    _title = begin.Title;
                    _running = true;
                    _started = Stopwatch.GetTimestamp();
                    if (begin.Attempt is > 1)
                    {
                        Note($"attempt {begin.Attempt} ({begin.Sandbox ?? "unsandboxed"}): {begin.Title}");
                    }
                }

                break;
            case ExecRetryPayload retry:
                lock (_gate)
                {
                    Note($"retrying ({retry.Reason}: {retry.Evidence})");
                }

                break;
            case ExecEndPayload:
                lock (_gate)
                {
                    _running = false;
                    ClearProgress();
                }

                break;
        }
    }

    /// <summary>The closing line on stderr: status, exit code, duration and where the record is.</summary>
    public void Summary(string text)
    {
        lock (_gate)
        {
            _running = false;
            ClearProgress();
            if (!_atLineStart)
            {
                Write(_stdout, "\n"u8);
                _atLineStart = true;
            }

            Write(_stderr, Encoding.UTF8.GetBytes(text + "\n"));
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        lock (_gate)
        {
            ClearProgress();
        }
    }

    private void Note(string text)
    {
        ClearProgress();
        Write(_stderr, Encoding.UTF8.GetBytes($"orchestrator: {text}\n"));
    }

    private void Redraw()
    {
        lock (_gate)
        {
            if (!_progress || !_running || !_atLineStart)
            {
                return;
            }

            double seconds = Stopwatch.GetElapsedTime(_started).TotalSeconds;
            string title = _title.Length <= 50 ? _title : _title[..47] + "...";
            string line = $"\r\x1b[2K\x1b[2m… {title} · {seconds:0.0} s · {Size(_bytes)}\x1b[0m";
            Write(_stdout, Encoding.UTF8.GetBytes(line));
            _progressShown = true;
        }
    }

    private void ClearProgress()
    {
        if (_progressShown)
        {
            Write(_stdout, "\r\x1b[2K"u8);
            _progressShown = false;
        }
    }

    private static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.0} KiB",
        _ => $"{bytes / (1024.0 * 1024):0.0} MiB",
    };

    private static void Write(Stream stream, ReadOnlySpan<byte> data)
    {
        try
        {
            stream.Write(data);
        }
        catch (IOException)
        {
            // A terminal that went away; the run is recorded regardless.
        }
    }
}
