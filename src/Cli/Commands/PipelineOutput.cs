using System.Text.Json.Nodes;
using Orchestrator.Core.Pipelines;
using Orchestrator.Core.Runs;

namespace Orchestrator.Cli.Commands;

/// <summary>What `start` and `resume` print for a pipeline run, and the exit code it maps to.</summary>
internal static class PipelineOutput
{
    public static int ExitCodeOf(PipelineRunResult result) => result.Status switch
    {
        RunStatus.Succeeded when result.GuardrailStatus?.Recommendation == GuardrailRecommendation.Fail => 1,
        RunStatus.Succeeded => ExitCodes.Success,
        RunStatus.Cancelled => ExitCodes.Cancelled,
        _ => result.ExitCode is { } code and > 0 and < 256 ? code : 1,
    };

    public static string Text(PipelineRunResult result)
    {
        var lines = new List<string>
        {
            $"Pipeline '{result.PipelineId}' run {result.RunId}: {WireNames.Of(result.Status)}{(result.StatusDetail is { } detail ? $" ({detail})" : "")}",
        };
        foreach (var step in result.Steps)
        {
            string exit = step.ExitCode is { } code ? $" exit {code}" : "";
            string from = step.SucceededInRunId is { } run ? $" (succeeded in {run})" : "";
            string child = step.ChildRunId is { } childRun ? $" (child run {childRun})" : "";
            lines.Add($"  {WireNames.Of(step.Status),-10} {step.Stage}/{step.StepId}{exit}{from}{child}");
        }

        if (result.GuardrailStatus is { } guardrails)
        {
            lines.Add($"Guardrails: {WireNames.Of(guardrails.Recommendation)}: {guardrails.Summary}");
        }

        lines.Add($"Resume token: {result.ResumeToken}");
        lines.Add($"Manifest: {result.ManifestPath}");
        return string.Join('\n', lines) + "\n";
    }

    public static string Json(PipelineRunResult result, int exitCode)
    {
        var steps = new JsonArray();
        foreach (var step in result.Steps)
        {
            steps.Add(new JsonObject
            {
                ["id"] = step.StepId,
                ["stage"] = step.Stage,
                ["status"] = WireNames.Of(step.Status),
                ["exitCode"] = step.ExitCode,
                ["continueOnError"] = step.ContinueOnError,
                ["detail"] = step.Detail,
                ["childRunId"] = step.ChildRunId,
                ["succeededInRunId"] = step.SucceededInRunId,
            });
        }

        var document = new JsonObject
        {
            ["taskId"] = result.TaskId,
            ["runId"] = result.RunId,
            ["pipelineId"] = result.PipelineId,
            ["status"] = WireNames.Of(result.Status),
            ["statusDetail"] = result.StatusDetail,
            ["exitCode"] = result.ExitCode,
            ["cliExitCode"] = exitCode,
            ["parentRunId"] = result.ParentRunId,
            ["resumeToken"] = result.ResumeToken,
            ["steps"] = steps,
            ["manifestPath"] = result.ManifestPath,
            ["eventsPath"] = result.EventsPath,
        };
        if (result.GuardrailStatus is { } guardrails)
        {
            document["guardrailStatus"] = new JsonObject
            {
                ["recommendation"] = WireNames.Of(guardrails.Recommendation),
                ["summary"] = guardrails.Summary,
            };
        }

        return document.ToJsonString() + "\n";
    }
}
