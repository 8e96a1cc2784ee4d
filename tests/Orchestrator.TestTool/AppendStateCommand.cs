using System.Diagnostics;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Runs.State;

namespace Orchestrator.TestTool;

/// <summary>
/// Appends <c>count</c> entries to a task's runs.jsonl, each naming its writer and number in
/// statusDetail (<c>writer:n</c>), so a test running several at once can check every line arrived
/// whole. Usage: <c>append-state &lt;state-root&gt; &lt;task-id&gt; &lt;writer-id&gt; &lt;count&gt; [go-file]</c>;
/// with a go-file the writer waits (up to 60 s) for it to exist, so all writers start together.
/// </summary>
public sealed class AppendStateCommand : ITestToolCommand
{
    public string Name => "append-state";

    public async Task<int> RunAsync(string[] args)
    {
        if (args.Length is < 4 or > 5 || !int.TryParse(args[3], out int count) || count < 0)
        {
            await Console.Error.WriteLineAsync("usage: append-state <state-root> <task-id> <writer-id> <count> [go-file]");
            return 2;
        }

        string writer = args[2];
        var store = TaskStateStore.Open(args[0], args[1]);
        if (args.Length == 5)
        {
            var waited = Stopwatch.StartNew();
            while (!File.Exists(args[4]))
            {
                if (waited.Elapsed > TimeSpan.FromSeconds(60))
                {
                    await Console.Error.WriteLineAsync($"append-state: '{args[4]}' never appeared");
                    return 3;
                }

                Thread.Sleep(1);
            }
        }

        string manifest = Path.Combine(args[0], "..", ".runs", args[1], "cli", "manifest.json");
        for (int n = 0; n < count; n++)
        {
            store.Append(new TaskStateEntry
            {
                RunId = RunId.New(DateTimeOffset.UtcNow),
                Status = (RunStatus)(n % 5),
                Timestamp = DateTimeOffset.UtcNow,
                Runner = RunnerKind.Cli,
                PipelineId = "append-state",
                ManifestPath = manifest,
                ExitCode = n % 3 == 0 ? n % 7 : null,
                StatusDetail = $"{writer}:{n}",
            });
        }

        Console.WriteLine($"{writer} appended {count}");
        return 0;
    }
}
