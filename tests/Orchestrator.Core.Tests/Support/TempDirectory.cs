namespace Orchestrator.Core.Tests.Support;

/// <summary>A directory under the system temp folder, removed when disposed.</summary>
public sealed class TempDirectory : IDisposable
{
    /// <param name="prefix">A name prefix under the system temp folder, or a path prefix (containing '/') elsewhere.</param>
    public TempDirectory(string prefix = "orch-test")
    {
        if (prefix.Contains('/'))
        {
            Path = prefix + "-" + Guid.NewGuid().ToString("N")[..12];
            Directory.CreateDirectory(Path);
        }
        else
        {
            Path = Directory.CreateTempSubdirectory(prefix + "-").FullName;
        }
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
