using System.Diagnostics;
using System.Text.RegularExpressions;
using Orchestrator.Cli.Tests.Support;

namespace Orchestrator.Cli.Tests.Docs;

/// <summary>
/// Every CLI example in README.md and docs/ is either run here (a block fenced <c>sh run</c>: its
/// lines run in order, with the built CLI first on PATH, in an empty folder, and each exits 0) or
/// says it is illustrative (<c>sh illustrative</c>: it names a project, a host or a run of the
/// reader's own). An unmarked block with an <c>orchestrator</c> line fails, so an example cannot
/// quietly rot.
/// </summary>
[TestClass]
public sealed partial class CliDocExampleTests
{
    private static IEnumerable<(string File, int Line, string Info, string Body)> Blocks()
    {
        string root = CliProcess.RepositoryRoot;
        var files = Directory.GetFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).Append(Path.Combine(root, "README.md"));
        foreach (string file in files.Order(StringComparer.Ordinal))
        {
            string text = File.ReadAllText(file);
            foreach (Match block in Fence().Matches(text))
            {
                string body = block.Groups["body"].Value;
                if (CliLine().IsMatch(body))
                {
                    yield return (Path.GetRelativePath(root, file), text[..block.Index].Count(c => c == '\n') + 1, block.Groups["info"].Value.Trim(), body);
                }
            }
        }
    }

    [TestMethod]
    public void EveryCliExampleIsRunOrMarkedIllustrative()
    {
        var blocks = Blocks().ToList();
        Assert.IsNotEmpty(blocks);
        foreach (var (file, line, info, _) in blocks)
        {
            Assert.IsTrue(info is "sh run" or "sh illustrative", $"{file}:{line}: a block with orchestrator commands is fenced '{info}'; fence it 'sh run' (this test runs it) or 'sh illustrative'");
        }

        Assert.IsTrue(blocks.Any(b => b.Info == "sh run"), "at least one example is run");
    }

    [TestMethod]
    public async Task TheRunnableExamplesRunAsWritten()
    {
        string bin = Path.Combine(Path.GetTempPath(), $"orch-doc-bin-{Guid.NewGuid():N}");
        Directory.CreateDirectory(bin);
        File.CreateSymbolicLink(Path.Combine(bin, "orchestrator"), CliProcess.CliPath);
        try
        {
            foreach (var (file, line, _, body) in Blocks().Where(b => b.Info == "sh run"))
            {
                using var workspace = new TempDirectory();
                int offset = 0;
                foreach (string command in body.Split('\n'))
                {
                    offset++;
                    if (string.IsNullOrWhiteSpace(command))
                    {
                        continue;
                    }

                    var info = new ProcessStartInfo("bash", ["-euo", "pipefail", "-c", command])
                    {
                        WorkingDirectory = workspace.Path,
                        RedirectStandardOutput = true,
                        RedirectStandardError = true,
                        RedirectStandardInput = true,
                    };
                    info.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
                    info.Environment.Remove("MCP_RUNNER_TASK_ID");
                    using var process = Process.Start(info)!;
                    process.StandardInput.Close();
                    Task<string> stdout = process.StandardOutput.ReadToEndAsync();
                    Task<string> stderr = process.StandardError.ReadToEndAsync();
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                    await process.WaitForExitAsync(timeout.Token);
                    Assert.AreEqual(0, process.ExitCode, $"{file}:{line + offset}: `{command}` exited {process.ExitCode}\n{await stdout}\n{await stderr}");
                }
            }
        }
        finally
        {
            Directory.Delete(bin, recursive: true);
        }
    }

    [GeneratedRegex(@"^(?<indent> *)```(?<info>[^\n]*)\n(?<body>.*?)^\k<indent>```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex Fence();

    [GeneratedRegex(@"^\s*(\$ )?orchestrator ", RegexOptions.Multiline)]
    private static partial Regex CliLine();
}
