using Cake.Core.IO;

namespace Cake.Orchestrator;

/// <summary>Settings of <see cref="OrchestratorReviewAliases.OrchestratorReview(Cake.Core.ICakeContext, OrchestratorReviewSettings)"/>. Documented in docs/cake.md.</summary>
public sealed class OrchestratorReviewSettings : OrchestratorSettings
{
    /// <summary>The run to review; default: the task's latest run.</summary>
    public string? RunId { get; set; }

    /// <summary>A manifest (or run directory) to review directly; wins over TaskId/RunId.</summary>
    public FilePath? ManifestPath { get; set; }

    /// <summary>Where the TaskStateStore lives (default <c>out</c> beside the runs root).</summary>
    public DirectoryPath? StateRoot { get; set; }

    /// <summary>Append the review to <c>$GITHUB_STEP_SUMMARY</c> when set (default true).</summary>
    public bool WriteStepSummary { get; set; } = true;

    /// <summary><c>::error</c> annotations for failed commands: null (default) = only under GitHub Actions.</summary>
    public bool? Annotations { get; set; }

    /// <summary>Throw a CakeException when the recommendation is <c>fail</c> (default false: the review only reports).</summary>
    public bool FailOnFailRecommendation { get; set; }
}
