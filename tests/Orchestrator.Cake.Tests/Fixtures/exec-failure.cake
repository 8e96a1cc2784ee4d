#r "__ADDIN__"
try
{
    OrchestratorExec(new OrchestratorExecSettings
    {
        Argv = { "sh", "-c", "echo about-to-fail; exit 5" },
        TaskId = Argument<string>("task-id"),
        RunsRoot = Argument<string>("runs-root"),
    });
    Information("NOT-REACHED");
}
catch (CakeException ex)
{
    Information("CAUGHT {0}", ex.GetType().FullName);
    throw;
}
