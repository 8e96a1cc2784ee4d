using System.Collections.Immutable;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Orchestration.Sandbox;

namespace Orchestrator.Core.Configuration;

/// <summary>
/// Everything below the explicit level, read once: the repo and user files and the environment.
/// <see cref="Resolve"/> puts a door's explicit settings on top.
/// </summary>
public sealed record LoadedConfiguration
{
    /// <summary>The absolute working directory it was loaded for; explicit relative paths resolve against it.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>The git root of <see cref="WorkingDirectory"/>, else the working directory itself.</summary>
    public required string WorkspaceRoot { get; init; }

    /// <summary>The home directory <c>~</c> expands to (from the given environment's <c>HOME</c>).</summary>
    public string? HomeDirectory { get; init; }

    /// <summary>Where the repo-level file was looked for (or the file <c>ORCHESTRATOR_CONFIG</c> / the caller named).</summary>
    public required string RepoConfigPath { get; init; }

    /// <summary>Where the user file was looked for; null when neither <c>XDG_CONFIG_HOME</c> nor <c>HOME</c> is set.</summary>
    public string? UserConfigPath { get; init; }

    /// <summary>The repo-level file, or null when there is none.</summary>
    public ConfigurationFile? Repo { get; init; }

    /// <summary>The user file, or null when there is none.</summary>
    public ConfigurationFile? User { get; init; }

    /// <summary>What the environment variables set, validated, paths absolute.</summary>
    public ExplicitSettings FromEnvironment { get; init; } = ExplicitSettings.None;

    /// <summary>Applies explicit &gt; environment &gt; repo &gt; user &gt; default to every setting.</summary>
    /// <exception cref="ConfigurationException">An explicit value breaks a rule; the exception names the setting.</exception>
    public EffectiveSettings Resolve(ExplicitSettings explicitSettings)
    {
        ArgumentNullException.ThrowIfNull(explicitSettings);
        var x = SettingsNormalizer.Normalize(explicitSettings, WorkingDirectory, HomeDirectory, ConfigurationException.InSetting);
        var env = FromEnvironment;
        var repo = Repo?.Config ?? OrchestratorConfig.Empty;
        var user = User?.Config ?? OrchestratorConfig.Empty;

        var runsRoot = PickReference(x.RunsRoot, env.RunsRoot, repo.RunsRoot, user.RunsRoot, Path.Combine(WorkspaceRoot, Runs.WorkspaceLocator.DefaultRunsDirectoryName));
        var cacheFile = PickReference(
            x.ApprovalCacheFile,
            env.ApprovalCacheFile,
            repo.Approvals.CacheFile,
            user.Approvals.CacheFile,
            Path.Combine(runsRoot.Value, SettingRules.ApprovalCacheFileName));

        return new EffectiveSettings
        {
            TaskId = PickReference(x.TaskId, env.TaskId, repo.TaskId, user.TaskId, Runs.TaskId.Default),
            RunsRoot = runsRoot,
            ApprovalPolicy = Pick(x.ApprovalPolicy, env.ApprovalPolicy, repo.ApprovalPolicy, user.ApprovalPolicy, ApprovalPolicy.OnFailure),
            SandboxMode = Pick(x.SandboxMode, env.SandboxMode, repo.Sandbox.Mode, user.Sandbox.Mode, SandboxMode.WorkspaceWrite),
            Network = Pick(x.Network, env.Network, repo.Sandbox.Network, user.Sandbox.Network, false),
            WritableRoots = Pick(x.WritableRoots, env.WritableRoots, repo.Sandbox.WritableRoots, user.Sandbox.WritableRoots, []),
            ProtectGit = Pick(x.ProtectGit, env.ProtectGit, repo.Sandbox.ProtectGit, user.Sandbox.ProtectGit, true),
            MaxProcesses = Pick(x.MaxProcesses, env.MaxProcesses, repo.Sandbox.MaxProcesses, user.Sandbox.MaxProcesses, SandboxLimits.DefaultMaxProcesses),
            MaxMemoryBytes = Pick(x.MaxMemoryBytes, env.MaxMemoryBytes, repo.Sandbox.MaxMemoryBytes, user.Sandbox.MaxMemoryBytes, SandboxLimits.DefaultMaxMemoryBytes),
            MaxAttempts = Pick(x.MaxAttempts, env.MaxAttempts, repo.Retries.MaxAttempts, user.Retries.MaxAttempts, SettingRules.DefaultMaxAttempts),
            InitialDelayMs = Pick(x.InitialDelayMs, env.InitialDelayMs, repo.Retries.InitialDelayMs, user.Retries.InitialDelayMs, SettingRules.DefaultInitialDelayMs),
            MaxDelayMs = Pick(x.MaxDelayMs, env.MaxDelayMs, repo.Retries.MaxDelayMs, user.Retries.MaxDelayMs, SettingRules.DefaultMaxDelayMs),
            TransientExitCodes = Pick(x.TransientExitCodes, env.TransientExitCodes, repo.Retries.TransientExitCodes, user.Retries.TransientExitCodes, []),
            TransientOutputPatterns = Pick(
                x.TransientOutputPatterns,
                env.TransientOutputPatterns,
                repo.Retries.TransientOutputPatterns,
                user.Retries.TransientOutputPatterns,
                []),
            ApprovalRules = [.. FromFiles(repo.Approvals.Rules, user.Approvals.Rules, distinct: false)],
            SafeCommands = Pick(null, null, repo.Approvals.SafeCommands, user.Approvals.SafeCommands, ImmutableArray<ImmutableArray<string>>.Empty),
            ApprovalCacheFile = cacheFile,
            SecretEnvironmentNames = [.. FromFiles(repo.Secrets.Env, user.Secrets.Env, distinct: true)],
            SecretPatterns = [.. FromFiles(repo.Secrets.Patterns, user.Secrets.Patterns, distinct: true)],
            EventBudgetBytes = Pick(x.EventBudgetBytes, env.EventBudgetBytes, repo.Output.EventBudgetBytes, user.Output.EventBudgetBytes, SettingRules.DefaultEventBudgetBytes),
            CaptureBytes = Pick(x.CaptureBytes, env.CaptureBytes, repo.Output.CaptureBytes, user.Output.CaptureBytes, SettingRules.DefaultCaptureBytes),

            // The door and ORCHESTRATOR_NOTIFY sit above the files too, but which of them wins is decided
            // with the door's own list (NotificationSettings.Resolve), so only the file levels are picked here.
            Notify = Pick(null, null, repo.Notify, user.Notify, ImmutableArray<string>.Empty),

            // Likewise: the door and OTEL_EXPORTER_OTLP_ENDPOINT are weighed by TelemetrySettings.Resolve.
            TelemetryEndpoint = PickReference(null, null, repo.Telemetry.Endpoint, user.Telemetry.Endpoint, string.Empty),
        };
    }

    private static EffectiveValue<T> Pick<T>(T? explicitValue, T? environmentValue, ConfigValue<T>? repo, ConfigValue<T>? user, T fallback)
        where T : struct =>
        explicitValue is { } e ? new(e, SettingSource.Explicit)
        : environmentValue is { } v ? new(v, SettingSource.Environment)
        : FromFile(repo, user) ?? new(fallback, SettingSource.Default);

    private static EffectiveValue<T> PickReference<T>(T? explicitValue, T? environmentValue, ConfigValue<T>? repo, ConfigValue<T>? user, T fallback)
        where T : class =>
        explicitValue is { } e ? new(e, SettingSource.Explicit)
        : environmentValue is { } v ? new(v, SettingSource.Environment)
        : FromFile(repo, user) ?? new(fallback, SettingSource.Default);

    private static EffectiveValue<T>? FromFile<T>(ConfigValue<T>? repo, ConfigValue<T>? user) =>
        repo is not null ? new(repo.Value, SettingSource.Repo, repo.Location)
        : user is not null ? new(user.Value, SettingSource.User, user.Location)
        : null;

    // A user's personal rules and secrets apply in every repository, so these add up instead of replacing.
    private static IEnumerable<EffectiveValue<T>> FromFiles<T>(ImmutableArray<ConfigValue<T>> repo, ImmutableArray<ConfigValue<T>> user, bool distinct)
    {
        var seen = new HashSet<T>();
        foreach (var (items, source) in new[] { (repo, SettingSource.Repo), (user, SettingSource.User) })
        {
            foreach (var item in items)
            {
                if (!distinct || seen.Add(item.Value))
                {
                    yield return new EffectiveValue<T>(item.Value, source, item.Location);
                }
            }
        }
    }
}
