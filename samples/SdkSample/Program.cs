// The SDK sample of docs/guides/sdk.md: stream a command's events while it runs, read the result,
// then find the run again, read its manifest and replay its events from disk.
// Usage: dotnet run --project samples/SdkSample -- [runs-root]
using Orchestrator.Core;
using Orchestrator.Core.Commands;
using Orchestrator.Core.Events;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Runs;

string runsRoot = args.Length > 0 ? Path.GetFullPath(args[0]) : Path.Combine(Directory.GetCurrentDirectory(), ".runs");
var client = new OrchestratorClient();
var options = new RunOptions { TaskId = "sdk-sample", RunsRoot = runsRoot };
var request = new ExecRequest
{
    Command = CommandSpec.FromArgv(["sh", "-c", "echo building; echo warning: slow >&2; echo done"]),
    Timeout = TimeSpan.FromMinutes(1),
};

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

// 1. Stream: events arrive while the command runs; leaving the loop early would cancel it.
ExecStream stream = client.StreamAsync(request, options, cancel.Token);
await foreach (ExecEvent e in stream)
{
    switch (e.Payload)
    {
        case ExecBeginPayload begin:
            Console.WriteLine($"begin  {begin.Command} (sandbox: {begin.Sandbox})");
            break;
        case ExecChunkPayload chunk:
            Console.WriteLine($"{chunk.Stream,-6} {chunk.Text?.TrimEnd('\n')}");
            break;
        case ExecEndPayload end:
            Console.WriteLine($"end    {end.Status} exit {end.ExitCode}");
            break;
    }
}

RunResult result = await stream.Result;
Console.WriteLine($"result {result.Status} exit {result.ExitCode}: {result.ManifestPath}");

// 2. Find the run again (task state file, else the run directories) and read it back.
RunReference latest = client.FindLatestRun("sdk-sample", runsRoot) ?? throw new InvalidOperationException("no run found");
RunManifest manifest = await client.ReadManifestAsync(latest.ManifestPath, cancel.Token);
Console.WriteLine($"latest {latest.RunId} ({latest.Source}): {manifest.Status}, {manifest.EventCount} events");

int replayed = 0;
await foreach (ExecEvent e in client.ReplayEventsAsync(latest.EventsPath, cancel.Token))
{
    replayed++;
}

Console.WriteLine($"replay {replayed} events");
IReadOnlyList<string> problems = RunVerifier.Verify(latest.ManifestPath);
Console.WriteLine(problems.Count == 0 ? "verify ok" : "verify failed: " + string.Join("; ", problems));
return result.Succeeded && problems.Count == 0 && latest.RunId == result.RunId && replayed == manifest.EventCount ? 0 : 1;
