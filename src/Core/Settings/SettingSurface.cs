namespace Orchestrator.Core.Settings;

/// <summary>
/// A place a build engineer sets things: each door has one surface for running a command and one
/// for running a pipeline, because their parameters differ (a pipeline's steps carry their own
/// command, timeout and environment in orchestrator.yaml).
/// </summary>
public enum SettingSurface
{
    /// <summary>The <c>OrchestratorExec</c> task (and the <c>Orchestrator*</c> properties the <c>OrchestratorExec</c> target passes it).</summary>
    MSBuildExec,

    /// <summary>The <c>OrchestratorPipeline</c> task behind the <c>OrchestratorGuardrails</c>, <c>OrchestratorPipeline</c>, <c>OrchestratorResume</c> and <c>OrchestratorDiagnostics</c> targets.</summary>
    MSBuildPipeline,

    /// <summary><c>OrchestratorExecSettings</c> of the Cake alias <c>OrchestratorExec</c>.</summary>
    CakeExec,

    /// <summary><c>OrchestratorPipelineSettings</c> of the Cake aliases <c>OrchestratorPipeline</c> and <c>OrchestratorGuardrails</c>.</summary>
    CakePipeline,

    /// <summary><c>orchestrator exec</c> flags.</summary>
    CliExec,

    /// <summary><c>orchestrator start</c> and <c>orchestrator resume</c> flags.</summary>
    CliPipeline,

    /// <summary>The .NET SDK: <c>ExecRequest</c>, <c>ExplicitSettings</c> and <c>RunOptions</c> given to <c>OrchestratorClient</c>.</summary>
    DotNetSdk,

    /// <summary><c>ExecOptions</c> of the Node SDK's <c>exec()</c>.</summary>
    NodeExec,

    /// <summary><c>ResumeOptions</c> of the Node SDK's <c>resume()</c>.</summary>
    NodePipeline,
}
