using Orchestrator.Cli;

return await CliApp.RunAsync(args).ConfigureAwait(false);
