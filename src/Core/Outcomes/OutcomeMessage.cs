namespace Orchestrator.Core.Outcomes;

/// <summary>One message of the catalogue, rendered: its ORCH code, how serious it is, and its text.</summary>
/// <param name="Code">The stable <c>ORCHnnnn</c> code (docs/msbuild.md lists them all).</param>
/// <param name="Severity">Error, warning or message.</param>
/// <param name="Text">The text after the code, the same in every door.</param>
public sealed record OutcomeMessage(string Code, OutcomeSeverity Severity, string Text)
{
    /// <summary>The canonical form, <c>ORCH0100: The command ...</c>, as MSBuild prints it after <c>error</c>.</summary>
    public override string ToString() => $"{Code}: {Text}";
}
