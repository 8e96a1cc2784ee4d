namespace Orchestrator.Core;

/// <summary>Stable codes for failures the Orchestrator itself reports (each door maps them: docs/msbuild.md#error-codes).</summary>
public enum OrchestratorErrorCode
{
    /// <summary>The request is malformed (no command, both a command line and an argv, a bad value).</summary>
    InvalidRequest,

    /// <summary>A task id that is empty, too long, has characters outside [A-Za-z0-9._-], or is '.' / '..'.</summary>
    InvalidTaskId,

    /// <summary>A run id that does not have the run id shape.</summary>
    InvalidRunId,

    /// <summary>The runs root (or a run directory inside it) cannot be created or written.</summary>
    RunsRootNotWritable,

    /// <summary>A run or manifest that was asked for does not exist.</summary>
    RunNotFound,

    /// <summary>A manifest or events file that cannot be read back.</summary>
    CorruptRunRecord,

    /// <summary>A configuration file, ORCHESTRATOR_* variable or explicit setting is invalid (the message names file:line:column or the variable).</summary>
    InvalidConfiguration,

    /// <summary>A terminal or session cannot be had: PTYs are not supported here, a session shell did not start, or all 64 sessions are busy or protected.</summary>
    TerminalUnavailable,

    /// <summary>A pipeline name that is not configured (or guardrails asked for with none configured).</summary>
    UnknownPipeline,

    /// <summary>A resume that cannot be done: the run is not a pipeline run, still running, already succeeded, or its pipeline's definition changed.</summary>
    ResumeRefused,
}
