namespace Orchestrator.TestTool;

/// <summary>Prints its arguments, one per line: proves the tool runs.</summary>
public sealed class EchoCommand : ITestToolCommand
{
    public string Name => "echo";

    public Task<int> RunAsync(string[] args)
    {
        foreach (string arg in args)
        {
            Console.WriteLine(arg);
        }

        return Task.FromResult(0);
    }
}
