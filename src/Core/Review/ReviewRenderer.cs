using System.Globalization;
using System.Text;
using System.Text.Json;
using Orchestrator.Core.Runs;
using static Orchestrator.Core.Review.MarkdownText;

namespace Orchestrator.Core.Review;

/// <summary>
/// Renders a run manifest as a Markdown review: outcome and recommendation, the commands with
/// durations, exit codes and log links, approvals, sandbox escalations, guardrails, child runs,
/// resume, telemetry/notifications/instructions when present, warnings, and links to the run's files.
/// Works on the manifest's JSON rather than <see cref="RunManifest"/> so that fields this version
/// does not model (added by newer writers) are still shown, and missing ones are simply left out.
/// </summary>
public static class ReviewRenderer
{
    /// <summary>Leaf values listed per generic section (telemetry, notifications, instructions) before "... more".</summary>
    private const int MaxDetails = 40;

    /// <param name="manifest">The manifest's root element.</param>
    /// <param name="runDirectory">The directory holding the manifest; links are made relative to it.</param>
    /// <exception cref="OrchestratorException"><see cref="OrchestratorErrorCode.CorruptRunRecord"/> when the JSON is not a run manifest.</exception>
    public static RenderedReview Render(JsonElement manifest, string runDirectory)
    {
        if (manifest.ValueKind != JsonValueKind.Object || manifest.Str("runId") is not string runId || manifest.Str("taskId") is not string taskId ||
            manifest.Str("status") is not string status)
        {
            throw new OrchestratorException(OrchestratorErrorCode.CorruptRunRecord, "The JSON is not a run manifest (it needs taskId, runId and status).");
        }

        var (recommendation, source) = Recommend(manifest, status);
        var md = new StringBuilder(4096);
        md.Append("# Run review: ").Append(Text(taskId)).Append(" / ").Append(Text(runId)).Append("\n\n");
        RenderOutcome(md, manifest, status, recommendation, source);
        RenderOverview(md, manifest);
        var failures = RenderCommands(md, manifest, runId, runDirectory);
        RenderGuardrails(md, manifest);
        RenderApprovals(md, manifest);
        RenderEscalations(md, manifest);
        RenderChildRuns(md, manifest, runDirectory);
        RenderResume(md, manifest);
        RenderDetails(md, manifest, "telemetry", "Telemetry");
        RenderDetails(md, manifest, "notifications", "Notifications");
        RenderDetails(md, manifest, "instructions", "Instructions");
        RenderWarnings(md, manifest);
        RenderLogs(md, manifest);
        return new RenderedReview
        {
            TaskId = taskId,
            RunId = runId,
            Markdown = md.ToString(),
            Outcome = status,
            Recommendation = recommendation,
            RecommendationSource = source,
            Failures = failures,
        };
    }

    /// <summary><c>guardrailStatus.recommendation</c> when the run has one; otherwise from the run's status.</summary>
    private static (string Recommendation, string Source) Recommend(JsonElement manifest, string status)
    {
        if (manifest.Obj("guardrailStatus") is JsonElement guardrails && guardrails.Str("recommendation") is string given)
        {
            return (given, "guardrails");
        }

        return (status switch
        {
            "succeeded" => "pass",
            "failed" or "cancelled" or "timed_out" => "fail",
            _ => "needs-review",
        }, "run-status");
    }

    private static void RenderOutcome(StringBuilder md, JsonElement manifest, string status, string recommendation, string source)
    {
        md.Append("**Outcome:** ").Append(Icon(status)).Append(' ').Append(Text(status));
        if (manifest.Long("exitCode") is long exit)
        {
            md.Append(" (exit code ").Append(exit.ToString(CultureInfo.InvariantCulture)).Append(')');
        }

        if (manifest.Str("statusDetail") is string detail)
        {
            md.Append(": ").Append(Text(detail));
        }

        md.Append("  \n**Recommendation:** ").Append(Text(recommendation));
        md.Append(source == "guardrails" ? " (from the guardrails)" : " (from the run's status)");
        md.Append("\n\n");
    }

    private static void RenderOverview(StringBuilder md, JsonElement manifest)
    {
        md.Append("| | |\n| --- | --- |\n");
        Row(md, "Runner", manifest.Str("runner"));
        Row(md, "Pipeline", manifest.Str("pipelineId"));
        Row(md, "Parent run", manifest.Str("parentRunId"));
        Row(md, "Started", manifest.Str("startedAt"));
        Row(md, "Completed", manifest.Str("completedAt"));
        if (DateTimeOffset.TryParse(manifest.Str("startedAt"), CultureInfo.InvariantCulture, DateTimeStyles.None, out var started) &&
            DateTimeOffset.TryParse(manifest.Str("completedAt"), CultureInfo.InvariantCulture, DateTimeStyles.None, out var completed))
        {
            Row(md, "Duration", ManifestJson.Duration((long)(completed - started).TotalMilliseconds));
        }

        Row(md, "Approval policy", manifest.Str("approvalPolicy"));
        Row(md, "Sandbox mode", manifest.Str("sandboxMode"));
        if (manifest.Obj("sandbox") is JsonElement sandbox && sandbox.Str("available") is string available)
        {
            Row(md, "Sandbox available", available);
        }

        if (manifest.Str("cwd") is string cwd)
        {
            md.Append("| Working directory | ").Append(Code(cwd)).Append(" |\n");
        }

        md.Append('\n');

        static void Row(StringBuilder md, string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                md.Append("| ").Append(name).Append(" | ").Append(Text(value)).Append(" |\n");
            }
        }
    }

    private static List<(string Title, string Message)> RenderCommands(StringBuilder md, JsonElement manifest, string runId, string runDirectory)
    {
        var failures = new List<(string, string)>();
        var commands = manifest.Arr("commands").ToList();
        md.Append("## Commands\n\n");
        if (commands.Count == 0)
        {
            md.Append("No commands ran.\n\n");
            return failures;
        }

        // The last attempt of each tool run decides; an earlier attempt that the sandbox refused and
        // an escalation then fixed is not a failure of the run.
        var lastAttempt = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var command in commands)
        {
            if (command.Str("toolRunId") is string toolRun)
            {
                lastAttempt[toolRun] = Math.Max(lastAttempt.GetValueOrDefault(toolRun), command.Long("attempt") ?? 1);
            }
        }

        md.Append("| # | Command | Status | Exit code | Duration | Sandbox | Logs |\n");
        md.Append("| ---: | --- | --- | ---: | ---: | --- | --- |\n");
        foreach (var command in commands)
        {
            string index = command.Long("index")?.ToString(CultureInfo.InvariantCulture) ?? "";
            string id = command.Str("id") ?? "";
            string title = command.Str("title") ?? id;
            string text = command.Str("command") ?? "";
            string status = command.Str("status") ?? "unknown";
            string? detail = command.Str("statusDetail");
            long? exit = command.Long("exitCode");
            string? signal = command.Str("signal");
            md.Append("| ").Append(index).Append(" | ");
            md.Append("**").Append(Text(title)).Append("**");
            if (command.Long("attempt") is long attempt && attempt > 1)
            {
                md.Append(" (attempt ").Append(attempt.ToString(CultureInfo.InvariantCulture)).Append(')');
            }

            md.Append("<br>").Append(Code(text)).Append(" | ");
            md.Append(Icon(status)).Append(' ').Append(Text(status));
            if (detail is not null)
            {
                md.Append("<br>").Append(Text(detail));
            }

            if (command.Obj("error") is JsonElement error && error.Str("message") is string errorMessage)
            {
                md.Append("<br>").Append(Text(errorMessage));
            }

            md.Append(" | ").Append(exit?.ToString(CultureInfo.InvariantCulture) ?? (signal is null ? "" : Text(signal)));
            md.Append(" | ").Append(ManifestJson.Duration(command.Long("durationMs")));
            md.Append(" | ").Append(Text(command.Str("sandbox")));
            md.Append(" | ");
            var links = new List<string>(2);
            if (command.Obj("logs") is JsonElement logs)
            {
                foreach (string stream in new[] { "stdout", "stderr" })
                {
                    if (logs.Str(stream) is string path && path.Length > 0)
                    {
                        links.Add(Link(stream, path));
                    }
                }
            }

            md.Append(string.Join(" · ", links)).Append(" |\n");

            bool decisive = command.Str("toolRunId") is not string tool || (command.Long("attempt") ?? 1) >= lastAttempt.GetValueOrDefault(tool);
            if (decisive && status is "failed" or "timed_out")
            {
                failures.Add(Failure(command, runId, runDirectory, title, text, status, detail, exit, signal));
            }
        }

        md.Append('\n');
        return failures;
    }

    private static (string, string) Failure(JsonElement command, string runId, string runDirectory, string title, string text, string status,
        string? detail, long? exit, string? signal)
    {
        string what = status == "timed_out"
            ? "timed out" + (command.Long("timeoutMs") is long timeout ? $" after {timeout} ms" : "")
            : command.Obj("error") is JsonElement error && error.Str("message") is string errorText ? "could not run: " + errorText
            : signal is not null ? $"was killed by {signal}"
            : exit is long code ? $"exited with code {code}"
            : "failed";
        var message = new StringBuilder();
        message.Append('`').Append(text).Append("` ").Append(what);
        if (detail is not null)
        {
            message.Append(" (").Append(detail).Append(')');
        }

        message.Append(". Run ").Append(runId);
        if (command.Obj("logs") is JsonElement logs && (logs.Str("stderr") ?? logs.Str("stdout")) is string log)
        {
            message.Append("; log: ").Append(Path.Combine(runDirectory, log));
        }

        // A title that only repeats the command says nothing the message does not; the id is short and names the log.
        string name = title == text ? command.Str("id") ?? title : title;
        return ($"{name} {(status == "timed_out" ? "timed out" : "failed")}", message.ToString());
    }

    private static void RenderGuardrails(StringBuilder md, JsonElement manifest)
    {
        if (manifest.Obj("guardrailStatus") is not JsonElement guardrails)
        {
            return;
        }

        md.Append("## Guardrails\n\n");
        if (guardrails.Str("recommendation") is string recommendation)
        {
            md.Append("**Recommendation:** ").Append(Text(recommendation)).Append("\n\n");
        }

        if (guardrails.Str("summary") is string summary)
        {
            md.Append(Text(summary)).Append("\n\n");
        }

        if (guardrails.Obj("counts") is JsonElement counts)
        {
            md.Append("| Status | Count |\n| --- | ---: |\n");
            foreach (var count in counts.EnumerateObject())
            {
                md.Append("| ").Append(Text(count.Name)).Append(" | ").Append(Text(ManifestJson.Scalar(count.Value))).Append(" |\n");
            }

            md.Append('\n');
        }
    }

    private static void RenderApprovals(StringBuilder md, JsonElement manifest)
    {
        var approvals = manifest.Arr("approvals").ToList();
        if (approvals.Count == 0)
        {
            return;
        }

        md.Append("## Approvals\n\n| Tool run | Action | Command | Decision | Source | Scope | Actor | Reason |\n");
        md.Append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        foreach (var approval in approvals)
        {
            md.Append("| ").Append(Text(approval.Str("toolRunId")))
              .Append(" | ").Append(Text(approval.Str("action")))
              .Append(" | ").Append(Code(approval.Str("command")))
              .Append(" | ").Append(Text(approval.Str("decision")))
              .Append(" | ").Append(Text(approval.Str("source")))
              .Append(" | ").Append(Text(approval.Str("scope")))
              .Append(" | ").Append(Text(approval.Str("actor")))
              .Append(" | ").Append(Text(approval.Str("reason"))).Append(" |\n");
        }

        md.Append('\n');
    }

    /// <summary>Tool runs the sandbox refused: escalated ones, and refusals whose escalation was denied.</summary>
    private static void RenderEscalations(StringBuilder md, JsonElement manifest)
    {
        var rows = new List<string>();
        foreach (var toolRun in manifest.Arr("toolRuns"))
        {
            var refusal = toolRun.Arr("attempts").FirstOrDefault(a => a.Str("retryReason") is "sandbox-denied" or "sandbox-failed");
            string? state = toolRun.Str("sandboxState");
            if (state != "escalated" && refusal.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            string evidence = refusal.ValueKind == JsonValueKind.Object ? refusal.Str("evidence") ?? refusal.Str("retryReason") ?? "" : "";
            rows.Add($"| {Text(toolRun.Str("id"))} | {Code(toolRun.Str("command"))} | {Text(state)} | {Text(toolRun.Str("approvalSource"))} | " +
                     $"{Text(evidence)} | {Icon(toolRun.Str("status") ?? "")} {Text(toolRun.Str("status"))}{(toolRun.Str("statusDetail") is string d ? "<br>" + Text(d) : "")} |");
        }

        if (rows.Count == 0)
        {
            return;
        }

        md.Append("## Sandbox escalations\n\n| Tool run | Command | Sandbox | Approval | Sandbox evidence | Result |\n");
        md.Append("| --- | --- | --- | --- | --- | --- |\n");
        foreach (string row in rows)
        {
            md.Append(row).Append('\n');
        }

        md.Append('\n');
    }

    private static void RenderChildRuns(StringBuilder md, JsonElement manifest, string runDirectory)
    {
        var children = manifest.Arr("childRuns").ToList();
        if (children.Count == 0)
        {
            return;
        }

        md.Append("## Child runs\n\n| Run | Pipeline | Status | Manifest |\n| --- | --- | --- | --- |\n");
        foreach (var child in children)
        {
            string status = child.Str("status") ?? "";
            string link = "";
            if (child.Str("manifestPath") is string path && path.Length > 0)
            {
                string relative = Path.IsPathRooted(path) ? Path.GetRelativePath(runDirectory, path) : path;
                link = Link(relative, relative.Replace(Path.DirectorySeparatorChar, '/'));
            }

            md.Append("| ").Append(Text(child.Str("runId")))
              .Append(" | ").Append(Text(child.Str("pipelineId")))
              .Append(" | ").Append(Icon(status)).Append(' ').Append(Text(status))
              .Append(" | ").Append(link).Append(" |\n");
        }

        md.Append('\n');
    }

    private static void RenderResume(StringBuilder md, JsonElement manifest)
    {
        string? token = manifest.Str("resumeToken");
        var events = manifest.Arr("resumeEvents").ToList();
        if (token is null && events.Count == 0)
        {
            return;
        }

        md.Append("## Resume\n\n");
        if (token is not null)
        {
            md.Append("Resume token: ").Append(Code(token)).Append("\n\n");
        }

        foreach (var resumeEvent in events)
        {
            md.Append("- ").Append(resumeEvent.ValueKind == JsonValueKind.Object
                ? string.Join(", ", resumeEvent.EnumerateObject().Select(p => $"{Text(p.Name)}: {Text(ManifestJson.Scalar(p.Value))}"))
                : Text(ManifestJson.Scalar(resumeEvent))).Append('\n');
        }

        md.Append('\n');
    }

    /// <summary>A section whose shape this version does not know: its leaf values by path.</summary>
    private static void RenderDetails(StringBuilder md, JsonElement manifest, string name, string heading)
    {
        if (!manifest.TryGetProperty(name, out var section) || section.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return;
        }

        var leaves = new List<(string Path, string Value)>();
        Collect(section, name, leaves);
        md.Append("## ").Append(heading).Append("\n\n");
        if (leaves.Count == 0)
        {
            md.Append("(empty)\n\n");
            return;
        }

        foreach (var (path, value) in leaves.Take(MaxDetails))
        {
            md.Append("- ").Append(Code(path)).Append(": ").Append(Text(value)).Append('\n');
        }

        if (leaves.Count > MaxDetails)
        {
            md.Append("- ... ").Append(leaves.Count - MaxDetails).Append(" more in the manifest\n");
        }

        md.Append('\n');

        static void Collect(JsonElement element, string path, List<(string, string)> leaves)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        Collect(property.Value, path + "." + property.Name, leaves);
                    }

                    break;
                case JsonValueKind.Array:
                    int i = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        Collect(item, $"{path}[{i++}]", leaves);
                    }

                    break;
                default:
                    leaves.Add((path, ManifestJson.Scalar(element)));
                    break;
            }
        }
    }

    private static void RenderWarnings(StringBuilder md, JsonElement manifest)
    {
        var warnings = manifest.Arr("warnings").ToList();
        if (warnings.Count == 0)
        {
            return;
        }

        md.Append("## Warnings\n\n");
        foreach (var warning in warnings)
        {
            md.Append("- ");
            if (warning.Str("code") is string code)
            {
                md.Append(Code(code)).Append(": ");
            }

            md.Append(Text(warning.Str("message") ?? ManifestJson.Scalar(warning))).Append('\n');
        }

        md.Append('\n');
    }

    private static void RenderLogs(StringBuilder md, JsonElement manifest)
    {
        md.Append("## Logs\n\n");
        md.Append("- ").Append(Link(RunPaths.ManifestFileName, RunPaths.ManifestFileName)).Append(": the run's manifest\n");
        string events = manifest.Str("eventsPath") ?? RunPaths.EventsFileName;
        md.Append("- ").Append(Link(events, events)).Append(": every event of the run");
        if (manifest.Long("eventCount") is long count)
        {
            md.Append(" (").Append(count.ToString(CultureInfo.InvariantCulture)).Append(" events)");
        }

        md.Append("\n- raw command output: ").Append(Code(RunPaths.CommandsDirectoryName + "/")).Append(" (linked per command above)\n");
    }

    private static string Icon(string status) => status switch
    {
        "succeeded" => "✅",
        "failed" or "denied" => "❌",
        "timed_out" or "timedOut" => "⏱️",
        "cancelled" => "🛑",
        "skipped" => "⏭️",
        "running" or "pending" or "in_progress" => "⏳",
        _ => "•",
    };
}
