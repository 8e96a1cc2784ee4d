using System.Text;
using Orchestrator.Core.Exec;

namespace Orchestrator.Core.Notifications;

/// <summary>Keeps the first bytes of a notification program's stdout and stderr; the rest is read and dropped.</summary>
internal sealed class BoundedOutputCapture(int limit) : IProcessOutputObserver
{
    private readonly MemoryStream _stdout = new();
    private readonly MemoryStream _stderr = new();

    public void OnOutput(OutputStreamKind stream, ReadOnlySpan<byte> data)
    {
        var target = stream == OutputStreamKind.Stderr ? _stderr : _stdout;
        int room = limit - (int)target.Length;
        if (room > 0)
        {
            target.Write(data[..Math.Min(room, data.Length)]);
        }
    }

    /// <summary>Null when the stream was empty; a character cut at the limit is dropped, not mangled.</summary>
    public string? Stdout => Text(_stdout);

    public string? Stderr => Text(_stderr);

    /// <summary>The first non-blank line of stderr, for the failure reason.</summary>
    public string? FirstStderrLine =>
        Stderr?.Split('\n').Select(line => line.Trim()).FirstOrDefault(line => line.Length > 0) is { } line
            ? (line.Length <= 200 ? line : line[..200] + "...")
            : null;

    private static string? Text(MemoryStream stream)
    {
        if (stream.Length == 0)
        {
            return null;
        }

        ReadOnlySpan<byte> bytes = stream.GetBuffer().AsSpan(0, (int)stream.Length);
        return Encoding.UTF8.GetString(bytes[..Utf8Boundary.LastCompleteLength(bytes)]);
    }
}
