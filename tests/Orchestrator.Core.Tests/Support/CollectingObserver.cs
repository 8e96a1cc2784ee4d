using System.Text;
using Orchestrator.Core.Exec;

namespace Orchestrator.Core.Tests.Support;

/// <summary>Keeps everything a process wrote, per stream.</summary>
public sealed class CollectingObserver : IProcessOutputObserver
{
    private readonly MemoryStream _stdout = new();
    private readonly MemoryStream _stderr = new();
    private readonly Lock _gate = new();

    public void OnOutput(OutputStreamKind stream, ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            (stream == OutputStreamKind.Stderr ? _stderr : _stdout).Write(data);
        }
    }

    public string Stdout
    {
        get
        {
            lock (_gate)
            {
                return Encoding.UTF8.GetString(_stdout.ToArray());
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_gate)
            {
                return Encoding.UTF8.GetString(_stderr.ToArray());
            }
        }
    }
}
