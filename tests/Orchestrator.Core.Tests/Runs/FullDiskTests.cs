using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Orchestrator.Core.Commands;
using Orchestrator.Core.Events;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Orchestration.Sandbox;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Tests.Support;
using Orchestrator.Tests.Shared;

namespace Orchestrator.Core.Tests.Runs;

/// <summary>
/// Records on a real full file system (a 1 MiB tmpfs): the run stops its command, reports the
/// path and the reason with the runs-root code, and leaves only whole, parseable records.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class FullDiskTests
{
    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task ARunThatFillsItsRunsRootIsStoppedAndLeavesAParseableFailedRecord()
    {
        using var workspace = new TempDirectory();
        using var disk = SmallFileSystem.Mount(workspace.Combine(".runs"), 1024);
        // 10 MB into a 1 MiB runs root, then a minute of nothing: only a kill ends it early.
        var request = new ExecRequest { Command = CommandSpec.FromShell("head -c 10000000 /dev/zero | tr '\\0' a; sleep 60; echo unrecorded > after.txt") };
        var started = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<OrchestratorException>(() => new OrchestratorClient().ExecAsync(request, Options(workspace)));

        Assert.IsLessThan(30, started.Elapsed.TotalSeconds, "the command was stopped when its output could no longer be recorded");
        Assert.IsFalse(File.Exists(workspace.Combine("after.txt")), "the command did not go on unrecorded");
        Assert.AreEqual(OrchestratorErrorCode.RunsRootNotWritable, error.Code);
        StringAssert.Contains(error.Message, workspace.Combine(".runs", "full"));
        StringAssert.Contains(error.Message, "No space left on device");

        string runDirectory = Directory.GetDirectories(workspace.Combine(".runs", "full", "cli")).Single();
        AssertWholeJsonLines(Path.Combine(runDirectory, "events.jsonl"));
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(runDirectory, "manifest.json")));
        Assert.AreEqual("failed", manifest.RootElement.GetProperty("status").GetString(), "the reserve let the final manifest through");
        StringAssert.Contains(manifest.RootElement.GetProperty("statusDetail").GetString(), "No space left on device");
        string state = File.ReadAllLines(workspace.Combine("out", "full", "runs.jsonl"))[^1];
        StringAssert.Contains(state, "\"status\":\"failed\"");
    }

    [TestMethod]
    public void AnEventsFileOnAFullDiskKeepsOnlyWholeLinesAndRefusesLaterEvents()
    {
        using var workspace = new TempDirectory();
        using var disk = SmallFileSystem.Mount(workspace.Combine("records"), 64);
        disk.Fill();
        // Free a little room: the first lines fit, one is cut by the full disk part-way.
        using (var filler = new FileStream(Path.Combine(disk.Path, "filler"), FileMode.Open))
        {
            filler.SetLength(filler.Length - (8 * 1024));
        }

        string path = Path.Combine(disk.Path, "events.jsonl");
        using var writer = new JsonlEventWriter(path);
        string text = new('x', 1500);
        IOException? failure = null;
        for (int i = 0; i < 100 && failure is null; i++)
        {
            try
            {
                writer.Emit(ExecEvent.Create("2026-11-22T03-10-01-000Z-0000abcd", new ExecChunkPayload { ExecId = "001-x", Seq = i + 1, Stream = "stdout", Bytes = text.Length, Text = text }));
            }
            catch (IOException ex)
            {
                failure = ex;
            }
        }

        Assert.IsNotNull(failure, "the disk filled up");
        StringAssert.Contains(failure.Message, path);
        long written = writer.EventCount;
        Assert.IsGreaterThan(0L, written);
        Assert.Throws<IOException>(() => writer.Emit(ExecEvent.Create("2026-11-22T03-10-01-000Z-0000abcd", new ExecChunkPayload { ExecId = "001-x", Seq = 999, Stream = "stdout", Bytes = 1, Text = "y" })));
        writer.Close();
        Assert.AreEqual(written, AssertWholeJsonLines(path));
        Assert.AreEqual(writer.BytesWritten, new FileInfo(path).Length);
    }

    [TestMethod]
    public async Task ATaskStateOnAFullDiskFailsTheRunBeforeItsCommandRuns()
    {
        using var workspace = new TempDirectory();
        using var disk = SmallFileSystem.Mount(workspace.Combine("out"), 64);
        disk.Fill();
        var request = new ExecRequest { Command = CommandSpec.FromShell("echo ran > ran.txt") };

        var error = await Assert.ThrowsAsync<OrchestratorException>(() => new OrchestratorClient().ExecAsync(request, Options(workspace)));

        Assert.AreEqual(OrchestratorErrorCode.RunsRootNotWritable, error.Code);
        StringAssert.Contains(error.Message, workspace.Combine("out", "full"));
        Assert.IsFalse(File.Exists(workspace.Combine("ran.txt")), "nothing runs while its state cannot be recorded");
        string runDirectory = Directory.GetDirectories(workspace.Combine(".runs", "full", "cli")).Single();
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(runDirectory, "manifest.json")));
        Assert.AreEqual("failed", manifest.RootElement.GetProperty("status").GetString());
        AssertWholeJsonLines(Path.Combine(runDirectory, "events.jsonl"));
    }

    /// <summary>Every line parses as JSON and the file ends with a newline; returns the line count.</summary>
    private static long AssertWholeJsonLines(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.IsTrue(bytes.Length == 0 || bytes[^1] == (byte)'\n', $"{path} ends with a torn line");
        long count = 0;
        foreach (string line in Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var _ = JsonDocument.Parse(line);
            count++;
        }

        return count;
    }

    private static RunOptions Options(TempDirectory workspace) => new()
    {
        RunsRoot = workspace.Combine(".runs"),
        TaskId = "full",
        WorkingDirectory = workspace.Path,
        Sandbox = new SandboxSettings(SandboxMode.DangerFullAccess, false, []),
    };
}
