using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Orchestrator.Core.Security;

/// <summary>
/// Redacts one byte stream (one command's stdout, say) chunk by chunk, so that the result does not
/// depend on where the chunks were cut: a secret split across two or more chunks is still caught.
/// <list type="bullet">
/// <item>Literals: every byte that belongs to an occurrence of any literal secret is masked, and each
/// run of masked bytes becomes one <c>***</c> (so overlapping or adjacent secrets give one mask). At
/// the end of a chunk, at most (longest secret length − 1) bytes are held back, and only when they
/// are the beginning of a secret.</item>
/// <item>Patterns: applied to the text between newlines, after the literals. A pattern match is only
/// guaranteed within one line: a line is held back until its newline, but never more than
/// <see cref="MaxLineBytes"/>; a longer line is passed on in pieces of that size, each matched on its
/// own, so a match across such a cut is missed. A line whose matching times out is masked whole.</item>
/// </list>
/// Not thread-safe: one instance per stream, fed in order. Call <see cref="Flush"/> at end of stream.
/// </summary>
public sealed class StreamingRedactor
{
    public const int MaxLineBytes = 64 * 1024;

    private static ReadOnlySpan<byte> Mask => "***"u8;

    private readonly int _longest;
    private readonly byte[][][] _byFirstByte;
    private readonly SearchValues<byte>? _firstBytes;
    private readonly Regex[] _patterns;
    private readonly ArrayBufferWriter<byte>? _stage;

    // Literal stage, in absolute stream offsets: bytes before _accounted are represented in the
    // output already (as themselves or inside a mask); _held are the last bytes seen, kept because
    // a secret may start there (they can overlap the accounted range when a mask ends inside them).
    private readonly byte[] _held;
    private int _heldLength;
    private long _heldStart;
    private long _consumed;
    private long _accounted;
    private bool _endsWithMask;
    private byte[] _scratch = [];

    // Pattern stage: the current line, not yet ended by a newline.
    private readonly byte[] _line;
    private int _lineLength;
    private char[] _chars = [];
    private int[] _charOffsets = [];
    private readonly List<(int Start, int End)> _matches = [];

    public StreamingRedactor(SecretSet secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        _longest = secrets.LongestLiteralBytes;
        _held = new byte[Math.Max(0, _longest - 1)];
        var groups = new List<byte[]>?[256];
        foreach (byte[] literal in secrets.Literals)
        {
            (groups[literal[0]] ??= []).Add(literal); // keeps the set's longest-first order
        }

        _byFirstByte = [.. groups.Select(g => g is null ? Array.Empty<byte[]>() : g.ToArray())];
        byte[] firsts = [.. Enumerable.Range(0, 256).Where(b => groups[b] is not null).Select(b => (byte)b)];
        _firstBytes = firsts.Length == 0 ? null : SearchValues.Create(firsts);
        _patterns = [.. secrets.Patterns];
        _line = _patterns.Length == 0 ? [] : new byte[MaxLineBytes];
        _stage = _patterns.Length > 0 && _firstBytes is not null ? new ArrayBufferWriter<byte>() : null;
    }

    /// <summary>Bytes received but not yet written (the start of a possible secret, an unfinished line).</summary>
    public int HeldBytes => _heldLength + _lineLength;

    /// <summary>How many masks this redactor has written so far: a caller compares it around a call to learn whether that call's output hides anything.</summary>
    public long MasksWritten { get; private set; }

    public void Redact(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_patterns.Length == 0)
        {
            RedactLiterals(input, output, final: false);
        }
        else if (_stage is null)
        {
            RedactLines(input, output);
        }
        else
        {
            _stage.ResetWrittenCount();
            RedactLiterals(input, _stage, final: false);
            RedactLines(_stage.WrittenSpan, output);
        }
    }

    /// <summary>Writes what is held back, redacted: call once the stream has ended.</summary>
    public void Flush(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_patterns.Length == 0)
        {
            RedactLiterals([], output, final: true);
            return;
        }

        if (_stage is not null)
        {
            _stage.ResetWrittenCount();
            RedactLiterals([], _stage, final: true);
            RedactLines(_stage.WrittenSpan, output);
        }

        RedactLine(_line.AsSpan(0, _lineLength), output);
        _lineLength = 0;
    }

    private void RedactLiterals(ReadOnlySpan<byte> input, IBufferWriter<byte> output, bool final)
    {
        if (_firstBytes is null)
        {
            output.Write(input);
            return;
        }

        ReadOnlySpan<byte> buffer = input;
        long start = _consumed;
        if (_heldLength > 0)
        {
            int total = _heldLength + input.Length;
            if (_scratch.Length < total)
            {
                _scratch = new byte[Math.Max(total, 2 * _scratch.Length)];
            }

            _held.AsSpan(0, _heldLength).CopyTo(_scratch);
            input.CopyTo(_scratch.AsSpan(_heldLength));
            buffer = _scratch.AsSpan(0, total);
            start = _heldStart;
        }

        _consumed += input.Length;
        int hold = Scan(buffer, start, final, output);
        buffer[^hold..].CopyTo(_held);
        _heldLength = hold;
        _heldStart = start + buffer.Length - hold;
        if (final)
        {
            // The stream is over: a mask must not swallow the first secret of whatever comes next.
            _endsWithMask = false;
        }
    }

    /// <summary>Writes the redacted form of <paramref name="buffer"/> up to the hold point; returns how many bytes it holds back.</summary>
    private int Scan(ReadOnlySpan<byte> buffer, long start, bool final, IBufferWriter<byte> output)
    {
        int holdAt = buffer.Length;
        int position = 0;
        while (position < buffer.Length)
        {
            int found = buffer[position..].IndexOfAny(_firstBytes!);
            if (found < 0)
            {
                break;
            }

            position += found;
            ReadOnlySpan<byte> rest = buffer[position..];
            byte[][] candidates = _byFirstByte[rest[0]];
            if (!final && rest.Length < _longest && IsProperPrefixOfAny(rest, candidates))
            {
                // A secret may start here and end in the next chunk; everything after it waits too.
                holdAt = position;
                break;
            }

            // The longest secret at each position covers the shorter ones there, so masking it at
            // every position masks the union of all occurrences.
            foreach (byte[] literal in candidates)
            {
                if (rest.StartsWith(literal))
                {
                    MaskRange(buffer, start, start + position, start + position + literal.Length, output);
                    break;
                }
            }

            position++;
        }

        EmitPlain(buffer, start, start + holdAt, output);
        return buffer.Length - holdAt;
    }

    private static bool IsProperPrefixOfAny(ReadOnlySpan<byte> tail, byte[][] candidates)
    {
        foreach (byte[] literal in candidates)
        {
            if (literal.Length > tail.Length && literal.AsSpan().StartsWith(tail))
            {
                return true;
            }
        }

        return false;
    }

    private void MaskRange(ReadOnlySpan<byte> buffer, long start, long from, long to, IBufferWriter<byte> output)
    {
        if (_endsWithMask && from <= _accounted)
        {
            _accounted = Math.Max(_accounted, to); // overlaps or touches the last mask: extend it
            return;
        }

        Debug.Assert(from >= _accounted, "plain output never covers the start of a secret");
        EmitPlain(buffer, start, from, output);
        output.Write(Mask);
        MasksWritten++;
        _accounted = to;
        _endsWithMask = true;
    }

    private void EmitPlain(ReadOnlySpan<byte> buffer, long start, long upTo, IBufferWriter<byte> output)
    {
        if (upTo > _accounted)
        {
            output.Write(buffer[(int)(_accounted - start)..(int)(upTo - start)]);
            _accounted = upTo;
            _endsWithMask = false;
        }
    }

    private void RedactLines(ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        while (!data.IsEmpty)
        {
            int newline = data.IndexOf((byte)'\n');
            if (newline < 0)
            {
                AddToLine(data, endOfLine: false, output);
                return;
            }

            AddToLine(data[..newline], endOfLine: true, output);
            output.Write("\n"u8);
            data = data[(newline + 1)..];
        }
    }

    /// <summary>
    /// Adds bytes to the current line. The line is cut into a piece whenever it reaches
    /// <see cref="MaxLineBytes"/> (at a character boundary), whether its bytes arrived in one read or
    /// many, so the pieces depend only on the content.
    /// </summary>
    private void AddToLine(ReadOnlySpan<byte> segment, bool endOfLine, IBufferWriter<byte> output)
    {
        if (_lineLength == 0)
        {
            while (segment.Length >= MaxLineBytes)
            {
                int cut = PieceLength(segment[..MaxLineBytes]);
                RedactLine(segment[..cut], output);
                segment = segment[cut..];
            }

            if (endOfLine)
            {
                RedactLine(segment, output);
            }
            else
            {
                segment.CopyTo(_line);
                _lineLength = segment.Length;
            }

            return;
        }

        while (!segment.IsEmpty)
        {
            int take = Math.Min(MaxLineBytes - _lineLength, segment.Length);
            segment[..take].CopyTo(_line.AsSpan(_lineLength));
            _lineLength += take;
            segment = segment[take..];
            if (_lineLength == MaxLineBytes)
            {
                int cut = PieceLength(_line);
                RedactLine(_line.AsSpan(0, cut), output);
                _line.AsSpan(cut, MaxLineBytes - cut).CopyTo(_line);
                _lineLength = MaxLineBytes - cut;
            }
        }

        if (endOfLine)
        {
            RedactLine(_line.AsSpan(0, _lineLength), output);
            _lineLength = 0;
        }
    }

    private static int PieceLength(ReadOnlySpan<byte> full)
    {
        int cut = Exec.Utf8Boundary.LastCompleteLength(full);
        return cut == 0 ? full.Length : cut;
    }

    /// <summary>Applies the patterns to one line (without its newline) and writes the result.</summary>
    private void RedactLine(ReadOnlySpan<byte> line, IBufferWriter<byte> output)
    {
        if (line.IsEmpty)
        {
            return;
        }

        bool ascii = Ascii.IsValid(line);
        ReadOnlySpan<char> text = Decode(line, ascii);
        _matches.Clear();
        try
        {
            foreach (Regex pattern in _patterns)
            {
                foreach (ValueMatch match in pattern.EnumerateMatches(text))
                {
                    if (match.Length > 0)
                    {
                        _matches.Add((match.Index, match.Index + match.Length));
                    }
                }
            }
        }
        catch (RegexMatchTimeoutException)
        {
            // Undecided means unsafe: the line may hold a secret the pattern did not get to.
            output.Write(Mask);
            MasksWritten++;
            return;
        }

        if (_matches.Count == 0)
        {
            output.Write(line);
            return;
        }

        _matches.Sort();
        int written = 0;
        int index = 0;
        while (index < _matches.Count)
        {
            (int from, int to) = _matches[index++];
            while (index < _matches.Count && _matches[index].Start <= to)
            {
                to = Math.Max(to, _matches[index++].End);
            }

            int byteFrom = ByteOffset(text, from, ascii, end: false);
            int byteTo = ByteOffset(text, to, ascii, end: true);
            output.Write(line[written..byteFrom]);
            output.Write(Mask);
            MasksWritten++;
            written = byteTo;
        }

        output.Write(line[written..]);
    }

    /// <summary>
    /// Decodes a line to UTF-16, remembering where each character starts in the bytes, so a match
    /// masks exactly its bytes and everything else (invalid UTF-8 included) passes through unchanged.
    /// </summary>
    private ReadOnlySpan<char> Decode(ReadOnlySpan<byte> line, bool ascii)
    {
        if (_chars.Length < line.Length)
        {
            _chars = new char[Math.Max(line.Length, 256)];
            _charOffsets = new int[_chars.Length + 1];
        }

        if (ascii)
        {
            Ascii.ToUtf16(line, _chars, out int widened);
            return _chars.AsSpan(0, widened);
        }

        int chars = 0;
        int offset = 0;
        while (offset < line.Length)
        {
            Rune.DecodeFromUtf8(line[offset..], out Rune rune, out int consumed);
            int length = rune.EncodeToUtf16(_chars.AsSpan(chars));
            for (int i = 0; i < length; i++)
            {
                _charOffsets[chars + i] = offset;
            }

            chars += length;
            offset += consumed;
        }

        _charOffsets[chars] = offset;
        return _chars.AsSpan(0, chars);
    }

    private int ByteOffset(ReadOnlySpan<char> text, int charIndex, bool ascii, bool end)
    {
        if (ascii)
        {
            return charIndex;
        }

        // Both halves of a surrogate pair map to the character's first byte, so a match that starts
        // between them already covers the character; one that ends between them must too.
        if (end && charIndex < text.Length && char.IsLowSurrogate(text[charIndex]) && charIndex > 0 && char.IsHighSurrogate(text[charIndex - 1]))
        {
            charIndex++;
        }

        return _charOffsets[charIndex];
    }
}
