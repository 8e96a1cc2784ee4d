using System.Buffers;
using System.Text;
using Orchestrator.Core.Security;

namespace Orchestrator.Core.Tests.Security;

/// <summary>Drives a redactor over given chunks, and the reference rule it must match whatever the chunking.</summary>
internal static class Redaction
{
    public static byte[] Stream(SecretSet secrets, IEnumerable<byte[]> chunks, Action<StreamingRedactor>? afterEachChunk = null)
    {
        var redactor = new StreamingRedactor(secrets);
        var output = new ArrayBufferWriter<byte>();
        foreach (byte[] chunk in chunks)
        {
            redactor.Redact(chunk, output);
            afterEachChunk?.Invoke(redactor);
        }

        redactor.Flush(output);
        Assert.AreEqual(0, redactor.HeldBytes, "Flush leaves nothing behind");
        return output.WrittenSpan.ToArray();
    }

    public static string Stream(SecretSet secrets, params string[] chunks) =>
        Encoding.UTF8.GetString(Stream(secrets, chunks.Select(Encoding.UTF8.GetBytes)));

    /// <summary>The rule for literals, computed on the whole input: every byte inside any occurrence is masked; each run of masked bytes becomes one ***.</summary>
    public static byte[] Reference(byte[] input, IReadOnlyList<byte[]> literals)
    {
        bool[] masked = new bool[input.Length];
        for (int start = 0; start < input.Length; start++)
        {
            foreach (byte[] literal in literals)
            {
                if (input.AsSpan(start).StartsWith(literal))
                {
                    Array.Fill(masked, true, start, literal.Length);
                }
            }
        }

        var output = new List<byte>();
        for (int i = 0; i < input.Length; i++)
        {
            if (!masked[i])
            {
                output.Add(input[i]);
            }
            else if (i == 0 || !masked[i - 1])
            {
                output.AddRange("***"u8.ToArray());
            }
        }

        return [.. output];
    }

    public static IEnumerable<byte[]> Split(byte[] input, params int[] cuts)
    {
        int previous = 0;
        foreach (int cut in cuts)
        {
            yield return input[previous..cut];
            previous = cut;
        }

        yield return input[previous..];
    }

    public static SecretSet Literals(params string[] values) => SecretSet.Create(null, extraValues: values);
}
