using Orchestrator.Core;
using Orchestrator.Core.Configuration;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Pipelines;
using Orchestrator.Core.Runs;

namespace Orchestrator.TestTool;

/// <summary>
/// Runs a configured pipeline of the workspace (its orchestrator.yaml, runs under .runs), as a door
/// would, so a test can kill the process mid-run. Prints the run's exit status only when it ends.
/// Usage: <c>run-pipeline &lt;workspace&gt; &lt;task-id&gt; &lt;pipeline&gt;</c>.
/// </summary>
public sealed class RunPipelineCommand : ITestToolCommand
{
    public string Name => "run-pipeline";

    public async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 3)
        {
            await Console.Error.WriteLineAsync("usage: run-pipeline <workspace> <task-id> <pipeline>");
            return 2;
        }

        var options = new RunOptions
        {
            WorkingDirectory = args[0],
            RunsRoot = Path.Combine(args[0], ".runs"),
            TaskId = args[1],
            Sandbox = new RunOptions().Sandbox with { Mode = SandboxMode.DangerFullAccess },
            HeartbeatInterval = TimeSpan.FromSeconds(1),
            Pipelines = PipelineCatalog.From(ConfigurationLoader.Load(args[0], _ => null)),
        };
        var result = await new OrchestratorClient().RunPipelineAsync(args[2], options);
        Console.WriteLine($"{result.RunId} {WireNames.Of(result.Status)}");
        return result.Succeeded ? 0 : 1;
    }
}
