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
            manifest's eventsSha256 and eventCount. Exits 0 when sound, 65 when not, 66 when missing.

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

        IReadOnlyList<string> problems;
        try
        {
            problems = RunVerifier.Verify(path);
        }
        catch (OrchestratorException ex)
        {
            throw ExecCommand.Map(ex);
        }

        if (parse.GetValue(Json))
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new VerifyReport { ManifestPath = path, Valid = problems.Count == 0, Problems = problems }, CliJson.Context.VerifyReport));
        }
        else if (problems.Count == 0)
        {
            Console.Out.WriteLine($"ok: {path}");
        }

        foreach (string problem in problems)
        {
            Console.Error.WriteLine($"orchestrator: {problem}");
        }

        return problems.Count == 0 ? ExitCodes.Success : ExitCodes.VerifyFailed;
    }
}
