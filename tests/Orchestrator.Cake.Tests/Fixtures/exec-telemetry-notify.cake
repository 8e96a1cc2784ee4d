#r "__ADDIN__"
// OtelEndpoint and Notify as Cake settings: the door's own values, as MSBuild's properties and the CLI's flags.
var result = OrchestratorExec(new OrchestratorExecSettings
{
    Command = "echo traced",
    TaskId = Argument<string>("task-id"),
    RunsRoot = Argument<string>("runs-root"),
    OtelEndpoint = Argument<string>("otel"),
    Notify = { Argument<string>("notify") },
});
Information("RESULT manifest={0}", result.ManifestPath);
