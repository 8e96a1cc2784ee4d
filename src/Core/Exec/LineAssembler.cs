using System.Text;

namespace Orchestrator.Core.Exec;

/// <summary>
/// Turns a stream of output chunks into log lines for doors that log line by line (MSBuild, Cake):
/// splits on '\n', drops a trailing '\r', decodes UTF-8 (invalid bytes become U+FFFD), and cuts a
/// line that grows past <c>maxLineBytes</c> so a command printing 200 MB without a newline cannot
/// make one giant string.
/// </summary>
public sealed class LineAssembler(Action<string> onLine, int maxLineBytes = LineAssembler.DefaultMaxLineBytes)
{
    public const int DefaultMaxLineBytes = 16 * 1024;

    private readonly byte[] _pending = new byte[maxLineBytes];
    private int _length;

    public void Append(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            int newline = data.IndexOf((byte)'\n');
            if (newline < 0)
            {
                AppendPartial(data);
                return;
            }

            AppendPartial(data[..newline]);
            EmitPending(trimCarriageReturn: true);
            data = data[(newline + 1)..];
        }
    }

    /// <summary>Emits an unterminated last line, if any.</summary>
    public void Flush()
    {
        if (_length > 0)
        {
            EmitPending(trimCarriageReturn: true);
        }
    }

    private void AppendPartial(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            int room = _pending.Length - _length;
            if (room == 0)
            {
                // Cut the over-long line at a character boundary; the rest continues on the next line.
                int cut = Utf8Boundary.LastCompleteLength(_pending.AsSpan(0, _length));
                if (cut == 0)
                {
                    cut = _length;
                }

                onLine(Encoding.UTF8.GetString(_pending, 0, cut));
                _pending.AsSpan(cut, _length - cut).CopyTo(_pending);
                _length -= cut;
                continue;
            }

            int take = Math.Min(room, data.Length);
            data[..take].CopyTo(_pending.AsSpan(_length));
            _length += take;
            data = data[take..];
        }
    }

    private void EmitPending(bool trimCarriageReturn)
    {
        int length = _length;
        if (trimCarriageReturn && length > 0 && _pending[length - 1] == (byte)'\r')
        {
            length--;
        }

        onLine(Encoding.UTF8.GetString(_pending, 0, length));
        _length = 0;
    }
}
