using System.Text;
using System.Text.Json;
using Orchestrator.Core.Json;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Json;

[TestClass]
public sealed class ManifestSerializerTests
{
    [TestMethod]
    [DataRow(0)]
    [DataRow(1)]
    [DataRow(ManifestSerializer.SpliceFrom - 1)]
    [DataRow(ManifestSerializer.SpliceFrom)]
    [DataRow(25)]
    public void AManifestOfAnyLengthIsWrittenAsTheSerializerWritesIt(int count)
    {
        var manifest = WithCommands(Populated.Create<RunManifest>(), count, toolRuns: count);

        Assert.AreEqual(Expected(manifest), Actual(manifest));
    }

    [TestMethod]
    public void ToolRunsMayBeFewerThanCommandsOrNone()
    {
        var manifest = WithCommands(Populated.Create<RunManifest>(), 9, toolRuns: 0);
        Assert.AreEqual(Expected(manifest), Actual(manifest));

        manifest = WithCommands(manifest, 9, toolRuns: 3);
        Assert.AreEqual(Expected(manifest), Actual(manifest));
    }

    [TestMethod]
    public void ARunRewritingItsManifestGetsTheSameBytesAsAFreshWriteEachTime()
    {
        // What RunRecorder does: the same earlier records in every version, one changed or added.
        var manifest = WithCommands(Populated.Create<RunManifest>(), 6, toolRuns: 6);
        for (int step = 0; step < 12; step++)
        {
            var commands = manifest.Commands.ToList();
            int at = step % commands.Count;
            commands[at] = commands[at] with { Status = CommandStatus.Failed, StatusDetail = $"step {step}\n\"quoted\" <é>", ExitCode = step };
            if (step % 3 == 0)
            {
                commands.Add(commands[0] with { Index = commands.Count + 1, Id = $"added-{step}" });
            }

            manifest = manifest with { Commands = commands, UpdatedAt = manifest.UpdatedAt.AddSeconds(1) };
            Assert.AreEqual(Expected(manifest), Actual(manifest), $"step {step}");
        }
    }

    [TestMethod]
    public void TheWrittenManifestReadsBack()
    {
        var manifest = WithCommands(Populated.Create<RunManifest>(), 7, toolRuns: 7);

        var back = JsonSerializer.Deserialize(ManifestSerializer.SerializeToUtf8Bytes(manifest), JsonDefaults.Manifest.RunManifest)!;

        Assert.HasCount(7, back.Commands);
        CollectionAssert.AreEqual(manifest.Commands.Select(c => c.Id).ToArray(), back.Commands.Select(c => c.Id).ToArray());
        Assert.HasCount(7, back.ToolRuns);
    }

    private static RunManifest WithCommands(RunManifest manifest, int count, int toolRuns)
    {
        var command = Populated.Create<CommandRecord>();
        var toolRun = Populated.Create<ToolRunRecord>();
        var approval = Populated.Create<ApprovalRecord>();
        var handle = Populated.Create<HandleRecord>();
        return manifest with
        {
            Commands = [.. Enumerable.Range(1, count).Select(i => command with { Index = i, Id = $"command-{i}", Title = $"line one\nline \"{i}\"" })],
            ToolRuns = [.. Enumerable.Range(1, toolRuns).Select(i => toolRun with { Id = $"tool-{i:D3}" })],
            Approvals = [.. Enumerable.Range(1, toolRuns / 2).Select(i => approval with { ToolRunId = $"tool-{i:D3}" })],
            Handles = [.. Enumerable.Range(1, count).Select(i => handle with { HandleId = $"run/{i:D3}" })],
        };
    }

    private static string Expected(RunManifest manifest) => Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(manifest, JsonDefaults.Manifest.RunManifest));

    private static string Actual(RunManifest manifest) => Encoding.UTF8.GetString(ManifestSerializer.SerializeToUtf8Bytes(manifest));
}
