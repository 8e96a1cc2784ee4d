using Orchestrator.Cli;

if (InstructionSetCheck.Warning() is { } warning)
{
    Console.Error.WriteLine($"orchestrator: warning: {warning}");
}

if (args.Length > 0 && args[0] is "exec" or "start" or "resume")
{
    // A run follows: its first-use costs overlap with building and parsing the command line.
    _ = Orchestrator.Core.Warmup.Start();
}

return await (CliApp.TryRunCommonExec(args) ?? CliApp.RunAsync(args)).ConfigureAwait(false);
