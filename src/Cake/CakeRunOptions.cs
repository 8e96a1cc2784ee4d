using System.Globalization;
using Cake.Core;
using Cake.Core.IO;
using Cake.Orchestrator.Logging;
using Orchestrator.Core;
using Orchestrator.Core.Configuration;
using Orchestrator.Core.Doors;
using Orchestrator.Core.Outcomes;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Settings;

namespace Cake.Orchestrator;

/// <summary>
/// Cake settings to the Core's run options: the settings become the text every door hands the
/// Core's reader (so a bad value is refused in the same words as from MSBuild or the CLI), then go
/// through the same resolver (explicit &gt; environment &gt; repo &gt; user &gt; default).
/// </summary>
internal static class CakeRunOptions
{
    public static string WorkingDirectory(ICakeContext context, OrchestratorSettings settings) =>
        (settings.WorkingDirectory ?? context.Environment.WorkingDirectory).MakeAbsolute(context.Environment).FullPath;

    public static string? Absolute(ICakeContext context, DirectoryPath? path) =>
        path?.MakeAbsolute(context.Environment).FullPath;

    public static string? Absolute(ICakeContext context, FilePath? path) =>
        path?.MakeAbsolute(context.Environment).FullPath;

    /// <summary>The run settings of any alias as the Core's door input.</summary>
    public static RunInput Input(ICakeContext context, OrchestratorSettings settings)
    {
        var input = new RunInput
        {
            TaskId = settings.TaskId,
            RunsRoot = Absolute(context, settings.RunsRoot),
            PlainDurationUnit = global::Orchestrator.Core.Validation.PlainNumberUnit.Milliseconds,
        };
        return settings is not OrchestratorRunSettings run ? input : input with
        {
            ApprovalPolicy = run.ApprovalPolicy,
            SandboxMode = run.SandboxMode,
            Network = Text(run.NetworkAccess),
            WritableRoots = run.WritableRoots is { Count: > 0 } roots ? [.. roots.Select(r => r.MakeAbsolute(context.Environment).FullPath)] : null,
            MaxAttempts = Text(run.MaxAttempts),
            OtelEndpoint = run.OtelEndpoint,
            Notify = [.. run.Notify],
        };
    }

    public static RunOptions Resolve(ICakeContext context, OrchestratorSettings settings, string cwd, CakeLogBridge bridge, RunInput input, SettingSurface surface)
    {
        if (!RunInputReader.TryRead(input, surface, out RunSettingsInput? read, out OutcomeMessage? problem))
        {
            throw new CakeException(problem!.ToString());
        }

        // The door's own values: the highest source, as the MSBuild properties and CLI flags are.
        var template = new RunOptions
        {
            Runner = RunnerKind.Cake,
            WorkingDirectory = cwd,
            Sinks = [bridge],
            OutputTaps = [bridge],
            OtelEndpoint = read!.OtelEndpoint,
            Notify = read.Notify,
        };
        if (read.KillGracePeriod is TimeSpan grace)
        {
            template = template with { KillGracePeriod = grace };
        }

        try
        {
            return RunOptionsResolver.Resolve(cwd, read.Settings, template, configPath: Absolute(context, settings.ConfigFile));
        }
        catch (OrchestratorException ex)
        {
            throw OrchestratorFailures.From(ex);
        }
    }

    /// <summary>A duration as the Core reads it: milliseconds, exactly.</summary>
    public static string? Text(TimeSpan? value) =>
        value is TimeSpan t ? t.TotalMilliseconds.ToString("R", CultureInfo.InvariantCulture) + "ms" : null;

    public static string? Text(bool? value) => value is bool b ? (b ? "true" : "false") : null;

    public static string? Text(long? value) => value?.ToString(CultureInfo.InvariantCulture);
}
