namespace Orchestrator.Core.Review;

/// <summary>
/// Which run to review and where the review goes. With nothing set: the latest run of the resolved
/// task (explicit task id &gt; <c>MCP_RUNNER_TASK_ID</c> &gt; configuration &gt; <c>default</c>) under the
/// resolved runs root. See docs/review.md.
/// </summary>
public sealed record ReviewRequest
{
    /// <summary>A manifest file to review directly; wins over <see cref="TaskId"/>/<see cref="RunId"/>.</summary>
    public string? ManifestPath { get; init; }

    /// <summary>The run to review; default: the task's latest run.</summary>
    public string? RunId { get; init; }

    public string? TaskId { get; init; }

    /// <summary>Default: configuration, else <c>.runs</c> at the workspace root.</summary>
    public string? RunsRoot { get; init; }

    /// <summary>Where the TaskStateStore lives (default <c>out</c> beside the runs root, where runs append it); consulted first for the latest run.</summary>
    public string? StateRoot { get; init; }

    /// <summary>Where relative paths and the workspace are resolved from; default: the current directory.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>A configuration file that replaces the repository's orchestrator.yaml (for the task id and runs root).</summary>
    public string? ConfigFile { get; init; }

    /// <summary>Append the review to <c>$GITHUB_STEP_SUMMARY</c> when that variable is set (default true).</summary>
    public bool WriteStepSummary { get; init; } = true;

    /// <summary>
    /// Produce <c>::error</c> workflow commands for failed commands: null (default) = only when
    /// <c>GITHUB_ACTIONS=true</c>; true/false force it.
    /// </summary>
    public bool? Annotations { get; init; }

    /// <summary>Where the workflow commands are written as they are produced (null: only returned in the result).</summary>
    public TextWriter? AnnotationWriter { get; init; }

    /// <summary>The environment to read (default: this process's).</summary>
    public Func<string, string?>? Environment { get; init; }
}
