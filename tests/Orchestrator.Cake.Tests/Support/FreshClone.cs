namespace Orchestrator.Cake.Tests.Support;

/// <summary>What a fresh clone of the working tree would hold: the files git tracks or would add (nothing ignored, nothing built).</summary>
public static class FreshClone
{
    public static async Task CopyAsync(string repository, string destination)
    {
        var files = await Dotnet.RunAsync(repository, ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], program: "git");
        Assert.AreEqual(0, files.ExitCode, files.ToString());
        foreach (string relative in files.Stdout.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            string source = Path.Combine(repository, relative);
            if (!File.Exists(source))
            {
                continue; // deleted in the working tree but still in the index
            }

            string target = Path.Combine(destination, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
        }

        // A git root of its own, so runs land inside the copy.
        var init = await Dotnet.RunAsync(destination, ["init", "-q"], program: "git");
        Assert.AreEqual(0, init.ExitCode, init.ToString());
    }
}
