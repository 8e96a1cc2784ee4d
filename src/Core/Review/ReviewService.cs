using System.Text;
using System.Text.Json;
using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Review;

/// <summary>
/// The review hand-off: finds the run, renders its manifest (<see cref="ReviewRenderer"/>), writes
/// <c>review.md</c> beside it atomically, appends it to <c>$GITHUB_STEP_SUMMARY</c>, and under GitHub
/// Actions produces an <c>::error</c> workflow command per failed command. Every door calls this.
/// </summary>
public static class ReviewService
{
    public const string ReviewFileName = "review.md";

    public const string StepSummaryVariable = "GITHUB_STEP_SUMMARY";

    public const string GitHubActionsVariable = "GITHUB_ACTIONS";

    /// <exception cref="OrchestratorException">
    /// <see cref="OrchestratorErrorCode.RunNotFound"/> (no such run or manifest), <see cref="OrchestratorErrorCode.CorruptRunRecord"/>
    /// (the manifest is not valid JSON or not a manifest), <see cref="OrchestratorErrorCode.RunsRootNotWritable"/> (review.md or the
    /// step summary cannot be written), plus the id and configuration codes of <see cref="RunManifestLocator.Locate"/>.
    /// </exception>
    public static async Task<ReviewResult> ReviewAsync(ReviewRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var environment = request.Environment ?? Environment.GetEnvironmentVariable;
        string manifestPath = RunManifestLocator.Locate(request);
        string runDirectory = Path.GetDirectoryName(manifestPath)!;

        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(manifestPath, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OrchestratorException(OrchestratorErrorCode.CorruptRunRecord, $"The manifest '{manifestPath}' cannot be read: {ex.Message}", ex);
        }

        RenderedReview rendered;
        try
        {
            using var document = JsonDocument.Parse(bytes);
            rendered = ReviewRenderer.Render(document.RootElement, runDirectory);
        }
        catch (JsonException ex)
        {
            throw new OrchestratorException(OrchestratorErrorCode.CorruptRunRecord,
                $"The manifest '{manifestPath}' is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): {ex.Message}", ex);
        }
        catch (OrchestratorException ex) when (ex.Code == OrchestratorErrorCode.CorruptRunRecord)
        {
            throw new OrchestratorException(OrchestratorErrorCode.CorruptRunRecord, $"The manifest '{manifestPath}' cannot be reviewed: {ex.Message}", ex);
        }

        cancellationToken.ThrowIfCancellationRequested();
        string reviewPath = Path.Combine(runDirectory, ReviewFileName);
        byte[] markdown = Encoding.UTF8.GetBytes(rendered.Markdown);
        try
        {
            AtomicFile.Write(reviewPath, markdown, durable: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OrchestratorException(OrchestratorErrorCode.RunsRootNotWritable, $"Could not write '{reviewPath}': {ex.Message}", ex);
        }

        string? summaryPath = null;
        if (request.WriteStepSummary && environment(StepSummaryVariable) is { Length: > 0 } summary)
        {
            summaryPath = Path.GetFullPath(summary);
            await AppendStepSummaryAsync(summaryPath, markdown, cancellationToken).ConfigureAwait(false);
        }

        var annotations = new List<string>();
        if (request.Annotations ?? string.Equals(environment(GitHubActionsVariable), "true", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var (title, message) in rendered.Failures)
            {
                string line = WorkflowCommand.Error(title, message);
                annotations.Add(line);
                if (request.AnnotationWriter is TextWriter writer)
                {
                    await writer.WriteLineAsync(line.AsMemory(), cancellationToken).ConfigureAwait(false);
                }
            }

            if (request.AnnotationWriter is TextWriter flushed)
            {
                await flushed.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return new ReviewResult
        {
            TaskId = rendered.TaskId,
            RunId = rendered.RunId,
            ManifestPath = manifestPath,
            ReviewPath = reviewPath,
            Markdown = rendered.Markdown,
            Outcome = rendered.Outcome,
            Recommendation = rendered.Recommendation,
            RecommendationSource = rendered.RecommendationSource,
            FailedCommands = rendered.Failures.Count,
            Annotations = annotations,
            StepSummaryPath = summaryPath,
        };
    }

    /// <summary>
    /// One append-mode write of the whole review (led by a blank line): several steps, or several
    /// reviews in one step, add to the file without rewriting what earlier ones wrote.
    /// </summary>
    private static async Task AppendStepSummaryAsync(string path, byte[] markdown, CancellationToken cancellationToken)
    {
        byte[] block = new byte[markdown.Length + 2];
        block[0] = (byte)'\n';
        markdown.CopyTo(block, 1);
        block[^1] = (byte)'\n';
        try
        {
            await using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0, useAsync: false);
            await stream.WriteAsync(block, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OrchestratorException(OrchestratorErrorCode.RunsRootNotWritable,
                $"Could not append the review to {StepSummaryVariable} '{path}': {ex.Message}", ex);
        }
    }
}
