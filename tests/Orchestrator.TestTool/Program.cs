using Orchestrator.TestTool;

// Usage: dotnet Orchestrator.TestTool.dll <command> [args...]; each command is one ITestToolCommand.
var commands = typeof(ITestToolCommand).Assembly.GetTypes()
    .Where(t => typeof(ITestToolCommand).IsAssignableFrom(t) && !t.IsAbstract)
    .Select(t => (ITestToolCommand)Activator.CreateInstance(t)!)
    .ToDictionary(c => c.Name, StringComparer.Ordinal);

if (args.Length == 0 || !commands.TryGetValue(args[0], out var command))
{
    Console.Error.WriteLine("usage: Orchestrator.TestTool <" + string.Join('|', commands.Keys.Order()) + "> [args...]");
    return 2;
}

return await command.RunAsync(args[1..]);
