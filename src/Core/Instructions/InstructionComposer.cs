using System.Buffers;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;
using Orchestrator.Core.Exec;

namespace Orchestrator.Core.Instructions;

/// <summary>Accumulates instruction files root to leaf within the budget; see <see cref="InstructionLoader"/>.</summary>
internal sealed class InstructionComposer(int budget, List<string> warnings)
{
    /// <summary>The SHA-256 of no bytes, in lowercase hex.</summary>
    internal const string EmptyTextHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private readonly List<string> _parts = [];
    private readonly List<InstructionSource> _sources = [];
    private long _used;
    private bool _exhausted;
    private bool _truncated;

    public void Add(string directory, string scope, ImmutableArray<string> names)
    {
        // The first name present claims the directory, even when it turns out unusable: an
        // empty AGENTS.override.md deliberately silences AGENTS.md, and a broken override
        // should be fixed, not quietly replaced by a file the author meant to override.
        string? path = null;
        InstructionFileProbe probe = InstructionFileProbe.Absent;
        foreach (string name in names)
        {
            string candidate = Path.GetFullPath(Path.Join(directory, name));
            probe = InstructionFile.Probe(candidate);
            if (probe.Exists)
            {
                path = candidate;
                break;
            }
        }

        if (path is null)
        {
            return;
        }

        if (probe.Problem is not null)
        {
            warnings.Add($"{path}: skipped: {probe.Problem}");
            return;
        }

        long remaining = budget - _used - (_parts.Count > 0 ? InstructionLoader.Separator.Length : 0);
        if (_exhausted || remaining <= 0)
        {
            if (probe.Size != 0)
            {
                Drop(path, "dropped: the instruction budget of " + budget + " bytes is used up by earlier files");
            }

            return;
        }

        string? problem = InstructionFile.TryRead(path, (int)remaining + InstructionLoader.ReadAhead, probe.Size, out byte[] data, out int count);
        if (problem is not null)
        {
            warnings.Add($"{path}: skipped: {problem}");
            return;
        }

        ReadOnlySpan<byte> read = data.AsSpan(0, count);
        bool cut = count > remaining;
        string? binary = WhyNotText(read, complete: !cut);
        if (binary is not null)
        {
            warnings.Add($"{path}: skipped: {binary}");
            return;
        }

        int taken = cut ? Utf8Boundary.LastCompleteLength(read[..(int)remaining]) : count;
        string text = Encoding.UTF8.GetString(read[..taken]);
        if (string.IsNullOrWhiteSpace(text))
        {
            if (cut)
            {
                Drop(path, "dropped: only whitespace fits in what is left of the instruction budget of " + budget + " bytes");
            }

            return;
        }

        if (_parts.Count > 0)
        {
            _used += InstructionLoader.Separator.Length;
        }

        _parts.Add(text);
        _used += taken;
        _sources.Add(new InstructionSource(path, scope, taken, Convert.ToHexStringLower(SHA256.HashData(read[..taken])), cut));
        if (cut)
        {
            Drop(path, $"cut to its first {taken} bytes: the instruction budget of {budget} bytes is reached");
        }
    }

    public InstructionSet Build()
    {
        string text = string.Join(InstructionLoader.Separator, _parts);
        // No instructions (the common case) needs no hashing: the crypto library then loads later,
        // off a short-lived process's critical path, if at all.
        string hash = text.Length == 0 ? EmptyTextHash : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        return new InstructionSet(text, hash, [.. _sources], [.. warnings], _truncated);
    }

    private void Drop(string path, string why)
    {
        warnings.Add($"{path}: {why}");
        _truncated = true;
        _exhausted = true;
    }

    /// <summary>
    /// Why the bytes are not text, or null. Decoding garbage into the composed text would hand
    /// the reader (human or model) noise and make the hash depend on replacement characters.
    /// </summary>
    private static string? WhyNotText(ReadOnlySpan<byte> bytes, bool complete)
    {
        int nul = bytes.IndexOf((byte)0);
        if (nul >= 0)
        {
            return $"it contains a NUL byte (at byte {nul}), so it is binary, not text";
        }

        // A file cut by the budget may end inside a character: that is incomplete, not invalid.
        char[] chars = new char[bytes.Length];
        var status = Utf8.ToUtf16(bytes, chars, out int consumed, out _, replaceInvalidSequences: false, isFinalBlock: complete);
        return status == OperationStatus.InvalidData
            ? $"it is not valid UTF-8 (at byte {consumed}), so it is binary, not text"
            : null;
    }
}
