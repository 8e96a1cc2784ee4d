#r "__ADDIN__"
// The door-agreement test: one command as `sh -c ". <script>"`, with the outcome message printed whole.
var timeoutMs = Argument<int>("timeout-ms", 0);
try
{
    OrchestratorExec(new OrchestratorExecSettings
    {
        Argv = { "sh", "-c", ". " + Argument<string>("script") },
        RunsRoot = Argument<string>("runs-root"),
        Timeout = timeoutMs > 0 ? TimeSpan.FromMilliseconds(timeoutMs) : null,
        IgnoreExitCode = Argument<bool>("ignore-exit-code", false),
    });
}
catch (CakeException ex)
{
    Information("CAKE-ERROR {0}", ex.Message);
}
