namespace Orchestrator.Core.Outcomes;

/// <summary>How a door shows an outcome message: an MSBuild error/warning/message, a Cake exception or log level, a CLI stderr line.</summary>
public enum OutcomeSeverity
{
    /// <summary>The door fails: an MSBuild error, a CakeException, a non-zero exit code.</summary>
    Error,

    /// <summary>Worth attention, never a failure.</summary>
    Warning,

    /// <summary>For the record, shown at the door's normal verbosity.</summary>
    Message,
}
