namespace Orchestrator.Core.Validation;

/// <summary>What a duration without a unit means: seconds in the CLI and YAML, milliseconds where MSBuild's <c>Exec</c> set the convention.</summary>
public enum PlainNumberUnit
{
    Seconds,
    Milliseconds,
}
