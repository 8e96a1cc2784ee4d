using Orchestrator.Core.Instructions;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Tests.Support;
using static Orchestrator.Core.Tests.Instructions.InstructionFiles;

namespace Orchestrator.Core.Tests.Instructions;

[TestClass]
public sealed class InstructionHierarchyTests
{
    [TestMethod]
    public void FilesAreTakenFromGlobalThenRepoRootThenEachDirectoryDownToTheWorkingDirectory()
    {
        using var dir = new TempDirectory("orch-instructions");
        Write(dir.Combine("AGENTS.md"), "above the repository: never loaded");
        string global = dir.Combine("home");
        string g = Write(Path.Combine(global, "AGENTS.md"), "global");
        string repo = Repository(dir.Combine("repo"));
        string r = Write(Path.Combine(repo, "AGENTS.md"), "root");
        string a = Write(Path.Combine(repo, "a", "AGENTS.md"), "a");
        Directory.CreateDirectory(Path.Combine(repo, "a", "b")); // no file here: nothing from it
        string c = Write(Path.Combine(repo, "a", "b", "c", "AGENTS.md"), "c");
        Write(Path.Combine(repo, "a", "b", "c", "d", "AGENTS.md"), "below the working directory: never loaded");
        Write(Path.Combine(repo, "other", "AGENTS.md"), "a sibling: never loaded");

        var set = InstructionLoader.Load(
            new InstructionOptions(Path.Combine(repo, "a", "b", "c")),
            EnvironmentOf(("ORCHESTRATOR_HOME", global)));

        Assert.AreEqual("global\n\nroot\n\na\n\nc", set.Text);
        CollectionAssert.AreEqual(new[] { g, r, a, c }, set.Sources.Select(s => s.Path).ToArray());
        CollectionAssert.AreEqual(
            new[] { InstructionScope.Global, InstructionScope.Repo, InstructionScope.Directory, InstructionScope.Directory },
            set.Sources.Select(s => s.Scope).ToArray());
        Assert.AreEqual(0, set.Warnings.Count, string.Join("\n", set.Warnings));
        Assert.IsFalse(set.Truncated);
    }

    [TestMethod]
    public void NoInstructionsHashAsTheEmptyTextAndAnyTextIsHashedAsComposed()
    {
        using var dir = new TempDirectory("orch-instructions");
        string repo = Repository(dir.Combine("repo"));

        var none = InstructionLoader.Load(new InstructionOptions(repo), NoEnvironment);
        Assert.AreEqual(string.Empty, none.Text);
        Assert.AreEqual(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([])), none.Hash);

        Write(Path.Combine(repo, "AGENTS.md"), "root");
        var one = InstructionLoader.Load(new InstructionOptions(repo), NoEnvironment);
        Assert.AreEqual(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("root"u8)), one.Hash);
    }

    [TestMethod]
    public void ARepositoryMadeByGitInitMarksTheRoot()
    {
        using var dir = new TempDirectory("orch-instructions");
        string repo = dir.Combine("repo");
        Directory.CreateDirectory(repo);
        Run("git", "init", "--quiet", repo);
        Write(dir.Combine("AGENTS.md"), "outside");
        Write(Path.Combine(repo, "AGENTS.md"), "root");
        Write(Path.Combine(repo, "src", "AGENTS.md"), "src");

        var set = InstructionLoader.Load(new InstructionOptions(Path.Combine(repo, "src")), NoEnvironment);

        Assert.AreEqual("root\n\nsrc", set.Text);
        Assert.AreEqual(InstructionScope.Repo, set.Sources[0].Scope);
        Assert.AreEqual(InstructionScope.Directory, set.Sources[1].Scope);
    }

    [TestMethod]
    public void TheWorkingDirectoryAtTheRootIsRepoScope()
    {
        using var dir = new TempDirectory("orch-instructions");
        string repo = Repository(dir.Combine("repo"));
        string r = Write(Path.Combine(repo, "AGENTS.md"), "root");

        var set = InstructionLoader.Load(new InstructionOptions(repo + "/"), NoEnvironment);

        Assert.AreEqual(1, set.Sources.Count);
        Assert.AreEqual(r, set.Sources[0].Path);
        Assert.AreEqual(InstructionScope.Repo, set.Sources[0].Scope);
    }

    [TestMethod]
    public void WithoutAGitRootOnlyTheWorkingDirectoryIsSearched()
    {
        using var dir = new TempDirectory("orch-instructions");
        string cwd = dir.Combine("project", "sub");
        if (WorkspaceLocator.FindGitRoot(cwd) is string unexpected)
        {
            Assert.Inconclusive($"the temp directory is inside a git repository ({unexpected})");
        }

        Write(dir.Combine("AGENTS.md"), "parent");
        Write(dir.Combine("project", "AGENTS.md"), "project");
        string own = Write(Path.Combine(cwd, "AGENTS.md"), "own");

        var set = InstructionLoader.Load(new InstructionOptions(cwd), NoEnvironment);

        Assert.AreEqual("own", set.Text);
        Assert.AreEqual(own, set.Sources.Single().Path);
        Assert.AreEqual(InstructionScope.Directory, set.Sources.Single().Scope);
    }

    [TestMethod]
    public void TheOverrideBeatsAgentsMdInItsOwnDirectoryOnly()
    {
        using var dir = new TempDirectory("orch-instructions");
        string repo = Repository(dir.Combine("repo"));
        Write(Path.Combine(repo, "AGENTS.md"), "root plain");
        string rootOverride = Write(Path.Combine(repo, "AGENTS.override.md"), "root override");
        string sub = Write(Path.Combine(repo, "sub", "AGENTS.md"), "sub plain");

        var set = InstructionLoader.Load(new InstructionOptions(Path.Combine(repo, "sub")), NoEnvironment);

        Assert.AreEqual("root override\n\nsub plain", set.Text);
        CollectionAssert.AreEqual(new[] { rootOverride, sub }, set.Sources.Select(s => s.Path).ToArray());
    }

    [TestMethod]
    public void FallbackNamesAreTriedInTheGivenOrderAfterAgentsMd()
    {
        using var dir = new TempDirectory("orch-instructions");
        string repo = Repository(dir.Combine("repo"));
        // Root: both fallbacks exist; the first in the list wins.
        string claude = Write(Path.Combine(repo, "CLAUDE.md"), "claude");
        Write(Path.Combine(repo, ".github", "copilot-instructions.md"), "copilot at root");
        // a: only the second fallback.
        string copilot = Write(Path.Combine(repo, "a", ".github", "copilot-instructions.md"), "copilot");
        // a/b: AGENTS.md beats every fallback.
        Write(Path.Combine(repo, "a", "b", "CLAUDE.md"), "claude in b");
        string agents = Write(Path.Combine(repo, "a", "b", "AGENTS.md"), "agents in b");
        string cwd = Path.Combine(repo, "a", "b");

        var options = new InstructionOptions(cwd) { FallbackNames = ["CLAUDE.md", ".github/copilot-instructions.md"] };
        var set = InstructionLoader.Load(options, NoEnvironment);

        Assert.AreEqual("claude\n\ncopilot\n\nagents in b", set.Text);
        CollectionAssert.AreEqual(new[] { claude, copilot, agents }, set.Sources.Select(s => s.Path).ToArray());

        var withoutFallbacks = InstructionLoader.Load(new InstructionOptions(cwd), NoEnvironment);
        Assert.AreEqual("agents in b", withoutFallbacks.Text, "fallback names are empty by default");
    }

    [TestMethod]
    public void EmptyAndWhitespaceOnlyFilesAreSkippedWithoutWarnings()
    {
        using var dir = new TempDirectory("orch-instructions");
        string repo = Repository(dir.Combine("repo"));
        Write(Path.Combine(repo, "AGENTS.md"), "");
        Write(Path.Combine(repo, "a", "AGENTS.md"), " \n\t\r\n  \n");
        string b = Write(Path.Combine(repo, "a", "b", "AGENTS.md"), "real");

        var set = InstructionLoader.Load(new InstructionOptions(Path.Combine(repo, "a", "b")), NoEnvironment);

        Assert.AreEqual("real", set.Text);
        Assert.AreEqual(b, set.Sources.Single().Path);
        Assert.AreEqual(0, set.Warnings.Count, string.Join("\n", set.Warnings));
    }

    [TestMethod]
    public void AnEmptyOverrideSilencesAgentsMdInItsDirectory()
    {
        using var dir = new TempDirectory("orch-instructions");
        string repo = Repository(dir.Combine("repo"));
        Write(Path.Combine(repo, "AGENTS.md"), "overridden");
        Write(Path.Combine(repo, "AGENTS.override.md"), "\n");

        var set = InstructionLoader.Load(new InstructionOptions(repo), NoEnvironment);

        Assert.AreEqual("", set.Text);
        Assert.AreEqual(0, set.Sources.Count);
        Assert.AreEqual(Sha256(""), set.Hash);
    }

    [TestMethod]
    public void TheComposedTextAndEveryHashAreExact()
    {
        using var dir = new TempDirectory("orch-instructions");
        string repo = Repository(dir.Combine("repo"));
        const string rootText = "# Build\r\nRun `make test` before pushing.\n";
        const string leafText = "Läuft nur unter Linux — 日本語 ✓\nNo trailing newline";
        Write(Path.Combine(repo, "AGENTS.md"), rootText);
        Write(Path.Combine(repo, "pkg", "AGENTS.md"), leafText);

        var set = InstructionLoader.Load(new InstructionOptions(Path.Combine(repo, "pkg")), NoEnvironment);

        string expected = rootText + "\n\n" + leafText;
        Assert.AreEqual(expected, set.Text);
        Assert.AreEqual(Sha256(expected), set.Hash);
        Assert.AreEqual(64, set.Hash.Length);
        Assert.AreEqual(set.Hash, set.Hash.ToLowerInvariant());
        Assert.AreEqual(System.Text.Encoding.UTF8.GetByteCount(rootText), set.Sources[0].Bytes);
        Assert.AreEqual(Sha256(rootText), set.Sources[0].Sha256);
        Assert.AreEqual(System.Text.Encoding.UTF8.GetByteCount(leafText), set.Sources[1].Bytes);
        Assert.AreEqual(Sha256(leafText), set.Sources[1].Sha256);
        Assert.IsFalse(set.Sources.Any(s => s.Truncated));
    }

    [TestMethod]
    public void OrchestratorHomeWinsOverHome()
    {
        using var dir = new TempDirectory("orch-instructions");
        string cwd = Repository(dir.Combine("repo"));
        string orchestratorHome = Write(dir.Combine("orch-home", "AGENTS.md"), "from ORCHESTRATOR_HOME");
        string home = dir.Combine("user");
        string dotOrchestrator = Write(Path.Combine(home, ".orchestrator", "AGENTS.md"), "from HOME");
        var options = new InstructionOptions(cwd);

        var both = InstructionLoader.Load(options, EnvironmentOf(("ORCHESTRATOR_HOME", dir.Combine("orch-home")), ("HOME", home)));
        Assert.AreEqual(orchestratorHome, both.Sources.Single().Path);
        Assert.AreEqual(InstructionScope.Global, both.Sources.Single().Scope);

        var homeOnly = InstructionLoader.Load(options, EnvironmentOf(("HOME", home)));
        Assert.AreEqual(dotOrchestrator, homeOnly.Sources.Single().Path);

        var emptyOrchestratorHome = InstructionLoader.Load(options, EnvironmentOf(("ORCHESTRATOR_HOME", ""), ("HOME", home)));
        Assert.AreEqual(dotOrchestrator, emptyOrchestratorHome.Sources.Single().Path, "an empty ORCHESTRATOR_HOME counts as unset");

        var neither = InstructionLoader.Load(options, NoEnvironment);
        Assert.AreEqual(0, neither.Sources.Count);

        string explicitGlobal = Write(dir.Combine("explicit", "AGENTS.md"), "explicit");
        var option = InstructionLoader.Load(options with { GlobalDirectory = dir.Combine("explicit") }, EnvironmentOf(("ORCHESTRATOR_HOME", dir.Combine("orch-home")), ("HOME", home)));
        Assert.AreEqual(explicitGlobal, option.Sources.Single().Path, "the option overrides both variables");
    }

    [TestMethod]
    public void AGlobalDirectoryThatIsAlsoTheRepoRootIsReadOnce()
    {
        using var dir = new TempDirectory("orch-instructions");
        string repo = Repository(dir.Combine("repo"));
        Write(Path.Combine(repo, "AGENTS.md"), "once");

        var set = InstructionLoader.Load(new InstructionOptions(repo) { GlobalDirectory = repo }, NoEnvironment);

        Assert.AreEqual("once", set.Text);
        Assert.AreEqual(InstructionScope.Global, set.Sources.Single().Scope);
    }

    [TestMethod]
    public void AMissingWorkingDirectoryIsAWarningNotAnException()
    {
        using var dir = new TempDirectory("orch-instructions");
        string repo = Repository(dir.Combine("repo"));
        Write(Path.Combine(repo, "AGENTS.md"), "root");
        string missing = Path.Combine(repo, "gone");

        var set = InstructionLoader.Load(new InstructionOptions(missing), NoEnvironment);

        Assert.AreEqual("root", set.Text);
        Assert.IsTrue(set.Warnings.Single().StartsWith(missing + ": ", StringComparison.Ordinal), set.Warnings.Single());
    }

    [TestMethod]
    public void OnlyInvalidArgumentsThrow()
    {
        Assert.ThrowsExactly<ArgumentNullException>(() => InstructionLoader.Load(null!, NoEnvironment));
        Assert.ThrowsExactly<ArgumentNullException>(() => InstructionLoader.Load(new InstructionOptions("/tmp"), null!));
        Assert.ThrowsExactly<ArgumentException>(() => InstructionLoader.Load(new InstructionOptions(" "), NoEnvironment));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => InstructionLoader.Load(new InstructionOptions("/tmp") { BudgetBytes = 0 }, NoEnvironment));
        Assert.ThrowsExactly<ArgumentException>(() => InstructionLoader.Load(new InstructionOptions("/tmp") { FallbackNames = ["../CLAUDE.md"] }, NoEnvironment));
        Assert.ThrowsExactly<ArgumentException>(() => InstructionLoader.Load(new InstructionOptions("/tmp") { FallbackNames = ["/etc/passwd"] }, NoEnvironment));
        Assert.ThrowsExactly<ArgumentException>(() => InstructionLoader.Load(new InstructionOptions("/tmp") { GlobalDirectory = "" }, NoEnvironment));
    }
}
