using System.Text.Json.Serialization;
using Orchestrator.Core.Json;

namespace Orchestrator.Core.Runs;

/// <summary>One decision a resume made, in the new run's manifest (<c>resumeEvents[]</c>).</summary>
/// <param name="Kind"><c>resumed</c> (the run it resumes), <c>skipped</c> (a step that had succeeded) or <c>rerun</c> (a step run again).</param>
/// <param name="StepId">The step; null for <c>resumed</c>.</param>
/// <param name="RunId">For <c>resumed</c>, the run resumed; for <c>skipped</c>, the run the step succeeded in; for <c>rerun</c>, the run it did not succeed in.</param>
/// <param name="Detail">Why, in a few words.</param>
public sealed record ResumeEvent(
    [property: JsonConverter(typeof(UtcTimestampConverter))] DateTimeOffset At,
    string Kind,
    string? StepId,
    string RunId,
    string? Detail);
