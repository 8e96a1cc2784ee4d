namespace Orchestrator.Core.Pipelines;

/// <summary>What the spec guard found.</summary>
/// <param name="Passed">No code change without a spec change (or nothing to compare).</param>
/// <param name="Base">How the base was chosen, e.g. <c>BASE_SHA</c> or <c>merge-base with main</c>; null when none could be found.</param>
/// <param name="BaseSha">The commit compared against.</param>
/// <param name="CodeChanges">Changed files under the code paths (not under spec paths).</param>
/// <param name="SpecChanges">Changed files under the spec paths.</param>
/// <param name="Message">One line for logs and the manifest.</param>
public sealed record SpecGuardReport(bool Passed, string? Base, string? BaseSha, IReadOnlyList<string> CodeChanges, IReadOnlyList<string> SpecChanges, string Message);
