using System.Globalization;
using System.Text;

namespace Orchestrator.Bench;

/// <summary>
/// A guardrails pipeline of N commands (`true`) run by `dotnet msbuild -t:OrchestratorGuardrails`
/// against the same N commands as MSBuild `Exec` items in one build, whole-build wall time,
/// interleaved, medians. The ratio compares like with like (no sandbox, as Exec runs); the default
/// sandboxed guardrails are measured alongside.
/// </summary>
public static class GuardrailsBenchmark
{
    public static int Run(int runs, int commands)
    {
        var config = new StringBuilder("guardrails:\n  steps:\n");
        for (int i = 1; i <= commands; i++)
        {
            config.Append(CultureInfo.InvariantCulture, $"    - {{ id: g{i}, command: \"true\" }}\n");
        }

        string items = string.Join(';', Enumerable.Range(1, commands));
        string work = BenchPackage.Prepare("orch-bench-guardrails-", $"""
              <ItemGroup><Step Include="{items}" /></ItemGroup>
              <Target Name="ExecMany"><Exec Command="true" Condition="'%(Step.Identity)' != ''" /></Target>
            """, config.ToString());
        string runsRoot = "-p:OrchestratorRunsRoot=" + Path.Combine(work, ".runs");
        string exec = $"{commands} x Exec";
        string guardrails = $"guardrails of {commands} (no sandbox, as Exec)";
        string sandboxed = $"guardrails of {commands} (default: sandboxed)";
        var timings = BenchPackage.Interleave(work, runs,
        [
            ("empty build", "Nothing", []),
            (exec, "ExecMany", []),
            (guardrails, "OrchestratorGuardrails", [runsRoot, "-p:OrchestratorSandboxMode=danger-full-access"]),
            (sandboxed, "OrchestratorGuardrails", [runsRoot]),
        ]);
        double ratio = Stats.Median(timings[guardrails]) / Stats.Median(timings[exec]);
        double sandboxedRatio = Stats.Median(timings[sandboxed]) / Stats.Median(timings[exec]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT guardrails: wall ratio OrchestratorGuardrails/Exec = {ratio:0.000} for {commands} commands without a sandbox, as Exec runs (goal <= 1.3) -> {(ratio <= 1.3 ? "PASS" : "FAIL")}; with the default sandbox {sandboxedRatio:0.000}"));
        Directory.Delete(work, recursive: true);
        return ratio <= 1.3 ? 0 : 1;
    }
}
