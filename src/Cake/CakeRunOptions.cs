using Cake.Core;
using Cake.Core.IO;
using Cake.Orchestrator.Logging;
using Orchestrator.Core;
using Orchestrator.Core.Configuration;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Runs;

namespace Cake.Orchestrator;

/// <summary>Cake settings to the Core's run options, through the same resolver every door uses (explicit &gt; environment &gt; repo &gt; user &gt; default).</summary>
internal static class CakeRunOptions
{
    public static string WorkingDirectory(ICakeContext context, OrchestratorSettings settings) =>
        (settings.WorkingDirectory ?? context.Environment.WorkingDirectory).MakeAbsolute(context.Environment).FullPath;

    public static string? Absolute(ICakeContext context, DirectoryPath? path) =>
        path?.MakeAbsolute(context.Environment).FullPath;

    public static string? Absolute(ICakeContext context, FilePath? path) =>
        path?.MakeAbsolute(context.Environment).FullPath;

    /// <summary>The settings every running alias shares, checked, as explicit settings.</summary>
    public static ExplicitSettings Explicit(ICakeContext context, OrchestratorRunSettings settings) => new()
    {
        ApprovalPolicy = CakeSettingParser.Parse<ApprovalPolicy>(nameof(settings.ApprovalPolicy), settings.ApprovalPolicy),
        SandboxMode = CakeSettingParser.Parse<SandboxMode>(nameof(settings.SandboxMode), settings.SandboxMode),
        Network = settings.NetworkAccess,
        WritableRoots = settings.WritableRoots is { Count: > 0 } roots ? [.. roots.Select(r => r.MakeAbsolute(context.Environment).FullPath)] : null,
        MaxAttempts = settings.MaxAttempts is int attempts && (attempts < 1 || attempts > RetryPolicy.Limit)
            ? throw new CakeException($"ORCH0006: Invalid value \"{attempts}\" for MaxAttempts: use a number from 1 to {RetryPolicy.Limit}.")
            : settings.MaxAttempts,
    };

    public static RunOptions Resolve(ICakeContext context, OrchestratorSettings settings, string cwd, CakeLogBridge bridge, ExplicitSettings explicitSettings)
    {
        // Null is "not set" (the default task); a set but empty or blank TaskId is a mistake, not the default.
        if (settings.TaskId is not null && !TaskId.IsValid(settings.TaskId, out string? problem))
        {
            // Checked before anything else so a bad task id can never name a path.
            throw new CakeException($"ORCH0001: Invalid task id '{settings.TaskId}': {problem}.");
        }

        var template = new RunOptions
        {
            Runner = RunnerKind.Cake,
            WorkingDirectory = cwd,
            Sinks = [bridge],
            OutputTaps = [bridge],
        };
        if (settings is OrchestratorRunSettings run)
        {
            // The door's own values: the highest source, as the MSBuild properties and CLI flags are.
            template = template with
            {
                OtelEndpoint = string.IsNullOrWhiteSpace(run.OtelEndpoint) ? null : run.OtelEndpoint.Trim(),
                Notify = [.. run.Notify.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim())],
            };
        }

        try
        {
            return RunOptionsResolver.Resolve(cwd, explicitSettings with
            {
                TaskId = settings.TaskId,
                RunsRoot = Absolute(context, settings.RunsRoot),
            }, template, configPath: Absolute(context, settings.ConfigFile));
        }
        catch (OrchestratorException ex)
        {
            throw OrchestratorFailures.From(ex);
        }
    }
}
