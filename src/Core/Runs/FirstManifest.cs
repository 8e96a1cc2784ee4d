using Orchestrator.Core.Instructions;

namespace Orchestrator.Core.Runs;

/// <summary>
/// What a run's manifest says before anything runs: who runs it, where, under which policy and
/// settings (with their sources), on what machine, and which instruction files were in force
/// (recorded, never obeyed).
/// </summary>
internal static class FirstManifest
{
    public static RunManifest Of(RunOptions options, RunPaths paths, string cwd, InstructionSet instructions, DateTimeOffset now) => new()
    {
        TaskId = paths.TaskId,
        RunId = paths.RunId,
        ParentRunId = options.ParentRunId,
        PipelineId = options.PipelineId,
        Runner = options.Runner,
        Status = RunStatus.InProgress,
        StartedAt = now,
        UpdatedAt = now,
        HeartbeatAt = now,
        HeartbeatIntervalMs = (long)Math.Max(0, options.HeartbeatInterval.TotalMilliseconds),
        ApprovalPolicy = options.Approvals.Policy,
        SandboxMode = options.Sandbox.Mode,
        Cwd = cwd,
        RunnerProcess = new RunnerProcessInfo(Environment.ProcessId, Environment.MachineName),
        SettingSources = options.SettingSources,
        ConfigurationFiles = options.ConfigurationFiles,
        Environment = EnvironmentInfo.Capture(),
        Instructions = InstructionsRecord.From(instructions),
        Warnings = [.. instructions.Warnings.Select(w => new RunWarning(InstructionsRecord.WarningCode, w))],
    };

    /// <summary>The instruction files in force at <paramref name="cwd"/>; a problem becomes a warning, never a failed run.</summary>
    public static InstructionSet LoadInstructions(string cwd, RunOptions options)
    {
        try
        {
            return InstructionLoader.Load(new InstructionOptions(cwd), options.EnvironmentReader ?? System.Environment.GetEnvironmentVariable);
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException)
        {
            // The loader turns every file problem into a warning; whatever still escapes costs the record, not the run.
            return new InstructionSet(string.Empty, InstructionComposer.EmptyTextHash, [], [$"{cwd}: instructions could not be loaded: {ex.Message}"], false);
        }
    }
}
