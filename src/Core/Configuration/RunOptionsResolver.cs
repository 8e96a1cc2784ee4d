using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Orchestration.Approvals;
using Orchestrator.Core.Orchestration.Sandbox;
using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Configuration;

/// <summary>
/// Turns configuration into a run's options, the same way for every door: load orchestrator.yaml,
/// the user file and the environment, put the door's explicit settings on top, and carry each
/// setting's source into the manifest.
/// </summary>
public static class RunOptionsResolver
{
    /// <param name="workingDirectory">The run's working directory (the repo file is found from it).</param>
    /// <param name="explicitSettings">What the door set explicitly.</param>
    /// <param name="template">The door's own options (runner, sinks, taps, prompter); configured values replace its settings.</param>
    /// <param name="environment">The environment to read (default: this process's).</param>
    /// <param name="configPath">A configuration file that replaces the repo file.</param>
    /// <exception cref="OrchestratorException">
    /// <see cref="OrchestratorErrorCode.InvalidConfiguration"/>: a file, variable or explicit value is invalid; the message names
    /// where (file:line:column, or the variable), the inner <see cref="ConfigurationException"/> has the details.
    /// </exception>
    public static RunOptions Resolve(
        string workingDirectory,
        ExplicitSettings explicitSettings,
        RunOptions template,
        Func<string, string?>? environment = null,
        string? configPath = null)
    {
        ArgumentNullException.ThrowIfNull(template);
        try
        {
            var loaded = ConfigurationLoader.Load(workingDirectory, environment ?? Environment.GetEnvironmentVariable, configPath);
            var options = Apply(loaded, loaded.Resolve(explicitSettings ?? ExplicitSettings.None), template);

            // The run reads the same environment the configuration was resolved from.
            return environment is null || options.EnvironmentReader is not null ? options : options with { EnvironmentReader = environment };
        }
        catch (ConfigurationException ex)
        {
            throw new OrchestratorException(OrchestratorErrorCode.InvalidConfiguration, ex.Message, ex);
        }
    }

    public static RunOptions Apply(LoadedConfiguration loaded, EffectiveSettings effective, RunOptions template)
    {
        var rules = effective.ApprovalRules
            .Select(rule => new PreApproval(rule.Value.Prefix, rule.Value.Action, rule.Value.Scope, rule.Value.Reason,
                rule.Location?.ToString() ?? WireNames.Of(rule.Source)))
            .ToImmutableArray();
        var patterns = effective.TransientOutputPatterns.Value
            .Select(p => new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
            .ToImmutableArray();

        var sources = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["taskId"] = WireNames.Of(effective.TaskId.Source),
            ["runsRoot"] = WireNames.Of(effective.RunsRoot.Source),
            ["approvalPolicy"] = WireNames.Of(effective.ApprovalPolicy.Source),
            ["sandbox.mode"] = WireNames.Of(effective.SandboxMode.Source),
            ["sandbox.network"] = WireNames.Of(effective.Network.Source),
            ["sandbox.writableRoots"] = WireNames.Of(effective.WritableRoots.Source),
            ["sandbox.protectGit"] = WireNames.Of(effective.ProtectGit.Source),
            ["sandbox.maxProcesses"] = WireNames.Of(effective.MaxProcesses.Source),
            ["sandbox.maxMemoryBytes"] = WireNames.Of(effective.MaxMemoryBytes.Source),
            ["retries.maxAttempts"] = WireNames.Of(effective.MaxAttempts.Source),
            ["retries.initialDelayMs"] = WireNames.Of(effective.InitialDelayMs.Source),
            ["retries.maxDelayMs"] = WireNames.Of(effective.MaxDelayMs.Source),
            ["retries.transientExitCodes"] = WireNames.Of(effective.TransientExitCodes.Source),
            ["retries.transientOutputPatterns"] = WireNames.Of(effective.TransientOutputPatterns.Source),
            ["approvals.safeCommands"] = WireNames.Of(effective.SafeCommands.Source),
            ["approvals.cacheFile"] = WireNames.Of(effective.ApprovalCacheFile.Source),
            ["output.eventBudgetBytes"] = WireNames.Of(effective.EventBudgetBytes.Source),
            ["output.captureBytes"] = WireNames.Of(effective.CaptureBytes.Source),

            // The door and the environment variable may still win over these; OrchestratorClient
            // rewrites the two entries when they do.
            ["notify"] = WireNames.Of(effective.Notify.Source),
            ["telemetry.endpoint"] = WireNames.Of(effective.TelemetryEndpoint.Source),
        };

        var files = new List<ConfigurationFileRecord>(2);
        if (loaded.Repo is ConfigurationFile repo)
        {
            files.Add(new ConfigurationFileRecord("repo", repo.Path, repo.Sha256));
        }

        if (loaded.User is ConfigurationFile user)
        {
            files.Add(new ConfigurationFileRecord("user", user.Path, user.Sha256));
        }

        return template with
        {
            TaskId = effective.TaskId.Value,
            RunsRoot = effective.RunsRoot.Value,
            WorkingDirectory = template.WorkingDirectory ?? loaded.WorkingDirectory,
            Approvals = template.Approvals with
            {
                Policy = effective.ApprovalPolicy.Value,
                PreApprovals = rules,
                SafeCommands = effective.SafeCommands.Value,
                CachePath = effective.ApprovalCacheFile.Value,
            },
            Sandbox = template.Sandbox with
            {
                Mode = effective.SandboxMode.Value,
                NetworkAccess = effective.Network.Value,
                WritableRoots = effective.WritableRoots.Value,
                ProtectGit = effective.ProtectGit.Value,
                Limits = new SandboxLimits(effective.MaxProcesses.Value, effective.MaxMemoryBytes.Value),
            },
            Retry = new RetryPolicy(
                effective.MaxAttempts.Value,
                TimeSpan.FromMilliseconds(effective.InitialDelayMs.Value),
                TimeSpan.FromMilliseconds(effective.MaxDelayMs.Value),
                effective.TransientExitCodes.Value,
                patterns),
            Output = template.Output with
            {
                EventBudgetBytes = effective.EventBudgetBytes.Value,
                CaptureBytes = effective.CaptureBytes.Value,
            },
            Secrets = template.Secrets with
            {
                EnvironmentNames = [.. template.Secrets.EnvironmentNames, .. effective.SecretEnvironmentNames.Select(v => v.Value)],
                Patterns = [.. template.Secrets.Patterns, .. effective.SecretPatterns.Select(v => v.Value)],
            },
            SettingSources = sources,
            ConfigurationFiles = files,
            ConfiguredNotify = effective.Notify.Value,
            ConfiguredOtelEndpoint = effective.TelemetryEndpoint.Value.Length == 0 ? null : effective.TelemetryEndpoint.Value,
            Pipelines = Pipelines.PipelineCatalog.From(loaded),
        };
    }
}
