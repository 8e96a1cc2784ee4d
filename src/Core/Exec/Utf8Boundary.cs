namespace Orchestrator.Core.Exec;

/// <summary>Finds UTF-8 character boundaries without decoding, so byte streams can be cut safely.</summary>
public static class Utf8Boundary
{
    /// <summary>
    /// The length of the longest prefix that does not end inside a multi-byte sequence which is
    /// still incomplete. Invalid bytes are never held back (they cannot become valid later).
    /// </summary>
    public static int LastCompleteLength(ReadOnlySpan<byte> data)
    {
        int length = data.Length;
        // A sequence is at most 4 bytes: look back at most 3 bytes for its lead byte.
        for (int back = 1; back <= 3 && back <= length; back++)
        {
            byte b = data[length - back];
            if ((b & 0xC0) == 0x80)
            {
                continue; // continuation byte: keep looking for the lead
            }

            int needed = SequenceLength(b);
            if (needed > back)
            {
                return length - back; // the sequence starting here is incomplete
            }

            return length;
        }

        return length;
    }

    /// <summary>How many bytes at the start are continuation bytes (at most 3) left over from a cut sequence.</summary>
    public static int LeadingContinuationBytes(ReadOnlySpan<byte> data)
    {
        int count = 0;
        while (count < 3 && count < data.Length && (data[count] & 0xC0) == 0x80)
        {
            count++;
        }

        return count;
    }

    /// <summary>The length a lead byte announces; 1 for ASCII and for bytes that cannot start a sequence.</summary>
    public static int SequenceLength(byte lead) => lead switch
    {
        >= 0xC2 and <= 0xDF => 2,
        >= 0xE0 and <= 0xEF => 3,
        >= 0xF0 and <= 0xF4 => 4,
        _ => 1,
    };
}
