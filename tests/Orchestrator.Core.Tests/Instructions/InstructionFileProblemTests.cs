using System.Text.Json;
using Orchestrator.Core.Instructions;
using Orchestrator.Core.Tests.Support;
using static Orchestrator.Core.Tests.Instructions.InstructionFiles;

namespace Orchestrator.Core.Tests.Instructions;

/// <summary>Files that must become warnings, never exceptions, hangs or garbage in the text.</summary>
[TestClass]
public sealed class InstructionFileProblemTests
{
    [TestMethod]
    public void AFileWithNulBytesIsSkippedAsBinary()
    {
        using var dir = new TempDirectory("orch-instructions");
        string repo = Repository(dir.Combine("repo"));
        string binary = WriteBytes(Path.Combine(repo, "AGENTS.md"), [(byte)'h', (byte)'i', 0, 1, 2, (byte)'x']);
        Write(Path.Combine(repo, "sub", "AGENTS.md"), "text");

        var set = InstructionLoader.Load(new InstructionOptions(Path.Combine(repo, "sub")), NoEnvironment);

        Assert.AreEqual("text", set.Text);
        Assert.AreEqual(binary + ": skipped: it contains a NUL byte (at byte 2), so it is binary, not text", set.Warnings.Single());
    }

    [TestMethod]
    public void AFileThatIsNotValidUtf8IsSkippedAsBinary()
    {
        using var dir = new TempDirectory("orch-instructions");
        string repo = Repository(dir.Combine("repo"));
        // Latin-1 "café" then a lone 0xFF: not UTF-8.
        string binary = WriteBytes(Path.Combine(repo, "AGENTS.md"), [(byte)'c', (byte)'a', (byte)'f', 0xE9, (byte)'!', 0xFF]);
        Write(Path.Combine(repo, "sub", "AGENTS.md"), "text");

        var set = InstructionLoader.Load(new InstructionOptions(Path.Combine(repo, "sub")), NoEnvironment);

        Assert.AreEqual("text", set.Text);
        Assert.IsFalse(set.Text.Contains('\uFFFD'));
        Assert.AreEqual(binary + ": skipped: it is not valid UTF-8 (at byte 3), so it is binary, not text", set.Warnings.Single());
    }

    [TestMethod]
    public void ASymlinkToItselfIsSkipped()
    {
        using var dir = new TempDirectory("orch-instructions");
        string repo = Repository(dir.Combine("repo"));
        string loop = Path.Combine(repo, "AGENTS.md");
        File.CreateSymbolicLink(loop, "AGENTS.md");
        Write(Path.Combine(repo, "sub", "AGENTS.md"), "text");

        var set = InstructionLoader.Load(new InstructionOptions(Path.Combine(repo, "sub")), NoEnvironment);

        Assert.AreEqual("text", set.Text);
        Assert.AreEqual(loop + ": skipped: it is a symbolic link loop (too many levels of symbolic links)", set.Warnings.Single());
    }

    [TestMethod]
    public void ATwoLinkCycleIsSkipped()
    {
        using var dir = new TempDirectory("orch-instructions");
        string repo = Repository(dir.Combine("repo"));
        string loop = Path.Combine(repo, "AGENTS.md");
        File.CreateSymbolicLink(loop, "other.md");
        File.CreateSymbolicLink(Path.Combine(repo, "other.md"), "AGENTS.md");

        var set = InstructionLoader.Load(new InstructionOptions(repo), NoEnvironment);

        Assert.AreEqual("", set.Text);
        Assert.AreEqual(loop + ": skipped: it is a symbolic link loop (too many levels of symbolic links)", set.Warnings.Single());
    }

    [TestMethod]
    public void ADanglingSymlinkIsSkipped()
    {
        using var dir = new TempDirectory("orch-instructions");
        string repo = Repository(dir.Combine("repo"));
        string link = Path.Combine(repo, "AGENTS.md");
        File.CreateSymbolicLink(link, "missing.md");

        var set = InstructionLoader.Load(new InstructionOptions(repo), NoEnvironment);

        Assert.AreEqual(0, set.Sources.Count);
        Assert.AreEqual(link + ": skipped: it is a symbolic link to a file that does not exist", set.Warnings.Single());
    }

    [TestMethod]
    public void ASymlinkToARegularFileIsFollowedAndRecordedUnderItsOwnName()
    {
        using var dir = new TempDirectory("orch-instructions");
        string repo = Repository(dir.Combine("repo"));
        Write(dir.Combine("shared", "rules.md"), "shared rules");
        string link = Path.Combine(repo, "AGENTS.md");
        File.CreateSymbolicLink(link, dir.Combine("shared", "rules.md"));

        var set = InstructionLoader.Load(new InstructionOptions(repo), NoEnvironment);

        Assert.AreEqual("shared rules", set.Text);
        Assert.AreEqual(link, set.Sources.Single().Path);
        Assert.AreEqual(0, set.Warnings.Count);
    }

    [TestMethod]
    public void ADirectoryNamedAgentsMdIsSkipped()
    {
        using var dir = new TempDirectory("orch-instructions");
        string repo = Repository(dir.Combine("repo"));
        string directory = Path.Combine(repo, "AGENTS.md");
        Directory.CreateDirectory(directory);
        Write(Path.Combine(directory, "AGENTS.md"), "inside the directory: not an instruction file of repo");
        Write(Path.Combine(repo, "sub", "AGENTS.md"), "text");

        var set = InstructionLoader.Load(new InstructionOptions(Path.Combine(repo, "sub")), NoEnvironment);

        Assert.AreEqual("text", set.Text);
        Assert.AreEqual(directory + ": skipped: it is a directory, not a regular file", set.Warnings.Single());
    }

    [TestMethod]
    [Timeout(10000)]
    public void AFifoNamedAgentsMdDoesNotHang()
    {
        using var dir = new TempDirectory("orch-instructions");
        string repo = Repository(dir.Combine("repo"));
        string fifo = Path.Combine(repo, "AGENTS.md");
        Run("mkfifo", fifo);
        string viaLink = Path.Combine(repo, "sub", "AGENTS.md");
        Directory.CreateDirectory(Path.Combine(repo, "sub"));
        File.CreateSymbolicLink(viaLink, fifo);
        string leaf = Write(Path.Combine(repo, "sub", "leaf", "AGENTS.md"), "text");

        var set = InstructionLoader.Load(new InstructionOptions(Path.Combine(repo, "sub", "leaf")), NoEnvironment);

        Assert.AreEqual("text", set.Text);
        Assert.AreEqual(leaf, set.Sources.Single().Path);
        CollectionAssert.AreEqual(
            new[]
            {
                fifo + ": skipped: it is a named pipe (FIFO), not a regular file",
                viaLink + ": skipped: it is a named pipe (FIFO), not a regular file",
            },
            set.Warnings.ToArray());
    }

    [TestMethod]
    public void AnUnusableOverrideStillClaimsItsDirectory()
    {
        using var dir = new TempDirectory("orch-instructions");
        string repo = Repository(dir.Combine("repo"));
        string broken = Path.Combine(repo, "AGENTS.override.md");
        Directory.CreateDirectory(broken);
        Write(Path.Combine(repo, "AGENTS.md"), "the file the override was meant to replace");

        var set = InstructionLoader.Load(new InstructionOptions(repo), NoEnvironment);

        Assert.AreEqual("", set.Text);
        Assert.AreEqual(broken + ": skipped: it is a directory, not a regular file", set.Warnings.Single());
    }

    [TestMethod]
    public async Task AnUnreadableFileIsSkippedAndTheOthersStillLoad()
    {
        using var dir = new TempDirectory("orch-instructions");
        string repo = Repository(dir.Combine("repo"));
        string unreadable = Write(Path.Combine(repo, "AGENTS.md"), "secret");
        string global = Write(dir.Combine("global", "AGENTS.md"), "global");
        string sub = Write(Path.Combine(repo, "sub", "AGENTS.md"), "sub");
        string expectedWarning = unreadable + ": skipped: it cannot be read: permission denied";

        if (Environment.UserName != "root")
        {
            File.SetUnixFileMode(unreadable, UnixFileMode.None);
            try
            {
                var set = InstructionLoader.Load(new InstructionOptions(Path.Combine(repo, "sub")) { GlobalDirectory = dir.Combine("global") }, NoEnvironment);
                Assert.AreEqual("global\n\nsub", set.Text);
                Assert.AreEqual(expectedWarning, set.Warnings.Single());
            }
            finally
            {
                File.SetUnixFileMode(unreadable, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            return;
        }

        // Root reads anything in-process, so read as nobody in a second process: the tree is
        // world-searchable and its files world-readable, except the one owned by root with 0600.
        var open = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        foreach (string directory in new[] { dir.Path, repo, Path.Combine(repo, ".git"), Path.Combine(repo, "sub"), dir.Combine("global") })
        {
            File.SetUnixFileMode(directory, open);
        }

        var readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.SetUnixFileMode(global, readable);
        File.SetUnixFileMode(sub, readable);
        File.SetUnixFileMode(unreadable, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        // nobody may not be able to reach the tests' own directory (a clone under a 0700 mktemp
        // directory, say): it runs a copy of the tool from the world-searchable temp tree.
        string tool = dir.Combine("tool");
        Directory.CreateDirectory(tool);
        File.SetUnixFileMode(tool, open);
        foreach (string file in Directory.EnumerateFiles(AppContext.BaseDirectory))
        {
            string copy = Path.Combine(tool, Path.GetFileName(file));
            File.Copy(file, copy);
            File.SetUnixFileMode(copy, readable);
        }

        // Qualified: inside Orchestrator.*, the name TestTool finds the tool's own namespace first.
        var (exitCode, stdout, stderr) = await Support.TestTool.RunAsync(
            ["load-instructions", Path.Combine(repo, "sub"), dir.Combine("global")],
            prefix: ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"],
            assemblyPath: Path.Combine(tool, Path.GetFileName(Support.TestTool.AssemblyPath)),
            environment: new Dictionary<string, string> { ["DOTNET_CLI_HOME"] = tool });

        Assert.AreEqual(0, exitCode, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.AreEqual("global\n\nsub", root.GetProperty("text").GetString());
        Assert.AreEqual(Sha256("global\n\nsub"), root.GetProperty("hash").GetString());
        CollectionAssert.AreEqual(
            new[] { global, sub },
            root.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("path").GetString()).ToArray());
        CollectionAssert.AreEqual(new[] { expectedWarning }, root.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()).ToArray());
        Assert.IsFalse(root.GetProperty("truncated").GetBoolean());
    }
}
