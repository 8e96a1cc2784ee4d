using Orchestrator.Core.Configuration;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Pipelines;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Runs.State;

namespace Orchestrator.Core.Tests.Support;

/// <summary>A temp workspace with an orchestrator.yaml, its runs under .runs and its task state under out/.</summary>
public sealed class PipelineWorkspace : IDisposable
{
    private readonly TempDirectory _dir = new("orch-pipe");

    public PipelineWorkspace(string yaml)
    {
        WriteConfig(yaml);
    }

    public string Path => _dir.Path;

    public string RunsRoot => _dir.Combine(".runs");

    public string StateRoot => _dir.Combine("out");

    public string ConfigPath => _dir.Combine("orchestrator.yaml");

    public string Combine(params string[] parts) => _dir.Combine(parts);

    public void WriteConfig(string yaml) => File.WriteAllText(ConfigPath, yaml);

    /// <summary>Loads the configuration the way a door does, without the machine's HOME or ORCHESTRATOR_* variables.</summary>
    public PipelineCatalog Catalog() => PipelineCatalog.From(ConfigurationLoader.Load(Path, _ => null));

    public RunOptions Options(string task = "pipe-tests", SandboxMode mode = SandboxMode.DangerFullAccess) => new()
    {
        RunsRoot = RunsRoot,
        TaskId = task,
        WorkingDirectory = Path,
        Sandbox = new RunOptions().Sandbox with { Mode = mode },
        Pipelines = Catalog(),
    };

    public TaskStateStore State(string task = "pipe-tests") => TaskStateStore.Open(StateRoot, task);

    public void Dispose() => _dir.Dispose();
}
