using System.CommandLine;
using System.Text.Json;
using Orchestrator.Cli.Output;
using Orchestrator.Core;
using Orchestrator.Core.Runs;

namespace Orchestrator.Cli.Commands;

/// <summary>`orchestrator verify &lt;manifest&gt;`: schema checks plus the events file's SHA-256 (<see cref="RunVerifier"/>).</summary>
internal static class VerifyCommand
{
    private static readonly Argument<string> Manifest = new("manifest") { Description = "A run's manifest.json (or its run directory)." };
    private static readonly Option<bool> Json = new("--json") { Description = "Print the verdict as one JSON document." };

    public static Command Create()
    {
        var command = new Command("verify", """
            Check a run record: manifest.json against schemas/manifest.json, each events.jsonl line
            against schemas/exec-event.json, and the events file's SHA-256 and line count against the
            manifest's eventsSha256 and eventCount, and that the run completed (a terminal status and
            a final run:summary). Exits 0 when sound and complete, 65 when not sound, 75 when sound but
            the run never completed (crashed, killed or still running), 66 when missing.

            Examples:
              orchestrator verify .runs/default/cli/2025-11-03T23-58-59-546Z-49371323/manifest.json
              orchestrator verify --json "$(orchestrator status --json | jq -r .manifestPath)"
            """)
        {
            Manifest, Json,
        };
        command.SetAction(parse => Run(parse));
        return command;
    }

    private static int Run(ParseResult parse)
    {
        string path = Path.GetFullPath(parse.GetValue(Manifest)!);
        if (Directory.Exists(path))
        {
            path = Path.Combine(path, RunPaths.ManifestFileName);
        }

        RunVerification verdict;
        try
        {
            verdict = RunVerifier.Check(path);
        }
        catch (OrchestratorException ex)
        {
            throw ExecCommand.Map(ex);
        }

        if (parse.GetValue(Json))
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new VerifyReport
            {
                ManifestPath = path,
                Valid = verdict.IsValid,
                Problems = verdict.Problems,
                Complete = verdict.IsComplete,
                Incomplete = verdict.Incomplete,
            }, CliJson.Context.VerifyReport));
        }
        else if (verdict.IsValid && verdict.IsComplete)
        {
            Console.Out.WriteLine($"ok: {path}");
        }

        foreach (string problem in verdict.Problems)
        {
            Console.Error.WriteLine($"orchestrator: {problem}");
        }

        if (verdict.Incomplete is { } incomplete)
        {
            Console.Error.WriteLine($"orchestrator: incomplete: {path}: {incomplete}");
        }

        // An altered record outranks an unfinished one: 65 says "do not trust this", 75 "this run proves nothing yet".
        return !verdict.IsValid ? ExitCodes.VerifyFailed : !verdict.IsComplete ? ExitCodes.Stale : ExitCodes.Success;
    }
}
