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

        // A repository of its own with one commit, as a clone has: runs land inside it, and git
        // commands of the guardrails see a HEAD.
        foreach (string[] git in new[]
        {
            new[] { "init", "-q" },
            new[] { "add", "-A" },
            new[] { "-c", "user.name=fresh", "-c", "user.email=fresh@example.invalid", "commit", "-q", "-m", "fresh clone" },
        })
        {
            var result = await Dotnet.RunAsync(destination, git, program: "git");
            Assert.AreEqual(0, result.ExitCode, result.ToString());
        }
    }
}
