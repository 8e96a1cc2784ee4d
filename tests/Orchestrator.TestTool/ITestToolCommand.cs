namespace Orchestrator.TestTool;

/// <summary>One thing the test tool can do; its name is the first argument.</summary>
public interface ITestToolCommand
{
    string Name { get; }

    Task<int> RunAsync(string[] args);
}
