#r "__ADDIN__"
// A command whose two lines are 3 s apart: the test checks the first reaches the log before the second.
var result = OrchestratorExec(new OrchestratorExecSettings
{
    Command = "echo line-one {braces}; sleep 3; echo line-two >&2",
    CommandId = "stream",
    TaskId = Argument<string>("task-id"),
    RunsRoot = Argument<string>("runs-root"),
});
Information("RESULT exit={0} status={1} sandbox={2} stdout={3}", result.ExitCode, result.Status, result.SandboxState, result.StandardOutput.Trim());
Information("MANIFEST={0}", result.ManifestPath);
