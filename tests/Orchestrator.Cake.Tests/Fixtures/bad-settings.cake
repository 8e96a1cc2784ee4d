#r "__ADDIN__"
OrchestratorExec(new OrchestratorExecSettings
{
    Command = "echo one",
    Argv = { "echo", "two" },
    TaskId = Argument<string>("task-id"),
    RunsRoot = Argument<string>("runs-root"),
});
