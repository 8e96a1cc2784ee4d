using System.Globalization;

namespace Orchestrator.Bench;

/// <summary>
/// Wall time of `dotnet msbuild -t:OrchestratorDiagnostics` (every check, the real sandbox smoke
/// run and PTY run included) against an empty build of the same project, interleaved, medians.
/// There is no goal figure: the issue asks for the number.
/// </summary>
public static class DiagnosticsBenchmark
{
    public static int Run(int runs)
    {
        string work = BenchPackage.Prepare("orch-bench-diagnostics-", string.Empty);
        var timings = BenchPackage.Interleave(work, runs,
        [
            ("empty build", "Nothing", []),
            ("OrchestratorDiagnostics", "OrchestratorDiagnostics", ["-p:OrchestratorRunsRoot=" + Path.Combine(work, ".runs")]),
        ]);
        double empty = Stats.Median(timings["empty build"]);
        double diagnostics = Stats.Median(timings["OrchestratorDiagnostics"]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT diagnostics: dotnet msbuild -t:OrchestratorDiagnostics median {diagnostics:0.000} s wall ({diagnostics - empty:0.000} s over an empty build of {empty:0.000} s) -> REPORTED (no goal)"));
        Directory.Delete(work, recursive: true);
        return 0;
    }
}
