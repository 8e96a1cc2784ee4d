using System.Text.Json;
using Orchestrator.Core.Instructions;

namespace Orchestrator.TestTool;

/// <summary>
/// Loads the AGENTS.md hierarchy for a directory and prints the InstructionSet as JSON. Run under
/// another user (setpriv) it proves that a file the process cannot read becomes a warning, which
/// root, for whom permissions do not apply, cannot show in-process.
/// Usage: load-instructions &lt;working-directory&gt; [global-directory]
/// </summary>
public sealed class LoadInstructionsCommand : ITestToolCommand
{
    public string Name => "load-instructions";

    public Task<int> RunAsync(string[] args)
    {
        if (args.Length is < 1 or > 2)
        {
            Console.Error.WriteLine("usage: load-instructions <working-directory> [global-directory]");
            return Task.FromResult(2);
        }

        // The global directory is an argument so the inherited HOME (another user's) cannot leak in.
        var options = new InstructionOptions(args[0]) { GlobalDirectory = args.Length > 1 ? args[1] : null };
        var set = InstructionLoader.Load(options, Environment.GetEnvironmentVariable);
        Console.WriteLine(JsonSerializer.Serialize(set, TestToolJsonContext.Default.InstructionSet));
        return Task.FromResult(0);
    }
}
