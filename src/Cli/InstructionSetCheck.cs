namespace Orchestrator.Cli;

/// <summary>
/// The start-up build is precompiled for x86-64-v3 (docs/cli.md#start-up). On a CPU without AVX2 the
/// runtime cannot use any of that code and JIT-compiles the whole CLI at every start, about four
/// times slower, without saying so; this says so, once per process, on stderr.
/// </summary>
internal static class InstructionSetCheck
{
    /// <summary>The warning for this CPU, or null when it runs this build's precompiled code.</summary>
    public static string? Warning()
    {
#if ORCHESTRATOR_X86_64_V3
        // A JIT-time constant: free where the precompiled code runs, and only evaluated where it does not.
        if (!System.Runtime.Intrinsics.X86.Avx2.IsSupported)
        {
            return "this build is precompiled for x86-64-v3 (AVX2) and this CPU lacks AVX2, so every start compiles it anew "
                + "(about 4x slower); publish it here with -p:OrchestratorInstructionSet= (docs/cli.md#start-up).";
        }
#endif
        return null;
    }
}
