using System.Text;
using Orchestrator.Core.Exec;

namespace Orchestrator.Core.Commands.Sessions;

/// <summary>
/// The end-of-command marker a session's shell prints after each command: an OSC escape
/// sequence <c>ESC ] 777 ; orch ; &lt;nonce&gt; ; &lt;exit code&gt; BEL</c>. Terminals ignore unknown
/// OSC sequences, the nonce is fresh per command so output cannot fake it, and the scanner removes
/// it exactly, so no marker text ever reaches the command's output.
/// </summary>
internal sealed class SessionMarker
{
    private static readonly byte[] Prefix = "\u001b]777;orch;"u8.ToArray();
    private readonly byte[] _expected;
    private readonly List<byte> _held = [];

    public SessionMarker(string nonce)
    {
        Nonce = nonce;
        _expected = Encoding.ASCII.GetBytes($"\u001b]777;orch;{nonce};");
    }

    public string Nonce { get; }

    /// <summary>The shell text that prints the marker with the last command's exit status.</summary>
    public string PrintCommand => $"printf '\\033]777;orch;%s;%d\\007' {Nonce} \"$?\"";

    /// <summary>
    /// Scans output: bytes before the marker go to <paramref name="output"/>; when the marker is
    /// complete returns its exit code. Bytes that may be the start of the marker are held until the
    /// next call decides.
    /// </summary>
    public int? Scan(ReadOnlySpan<byte> data, Action<ReadOnlySpan<byte>> output, out int consumed)
    {
        consumed = 0;
        byte[] input;
        if (_held.Count > 0)
        {
            input = [.. _held, .. data];
            _held.Clear();
        }
        else
        {
            input = data.ToArray();
        }

        int heldBefore = input.Length - data.Length;
        int start = 0;
        while (start < input.Length)
        {
            int esc = Array.IndexOf(input, (byte)0x1b, start);
            if (esc < 0)
            {
                output(input.AsSpan(start));
                consumed = data.Length;
                return null;
            }

            output(input.AsSpan(start, esc - start));
            var rest = input.AsSpan(esc);
            if (rest.Length < _expected.Length)
            {
                if (_expected.AsSpan(0, rest.Length).SequenceEqual(rest))
                {
                    _held.AddRange(rest.ToArray()); // maybe the marker: decide with more bytes
                    consumed = data.Length;
                    return null;
                }

                output(rest[..1]);
                start = esc + 1;
                continue;
            }

            if (!rest[.._expected.Length].SequenceEqual(_expected))
            {
                output(rest[..1]);
                start = esc + 1;
                continue;
            }

            int bell = rest.IndexOf((byte)0x07);
            if (bell < 0)
            {
                if (rest.Length > _expected.Length + 12)
                {
                    output(rest[..1]); // too long for an exit code: not ours
                    start = esc + 1;
                    continue;
                }

                _held.AddRange(rest.ToArray());
                consumed = data.Length;
                return null;
            }

            string code = Encoding.ASCII.GetString(rest[_expected.Length..bell]);
            consumed = Math.Max(0, esc + bell + 1 - heldBefore);
            return int.TryParse(code, out int exit) ? exit : -1;
        }

        consumed = data.Length;
        return null;
    }

    /// <summary>True when a byte sequence starts like any session marker (used to keep the idle stream clean).</summary>
    public static bool LooksLikeMarker(ReadOnlySpan<byte> data) => data.StartsWith(Prefix);
}
