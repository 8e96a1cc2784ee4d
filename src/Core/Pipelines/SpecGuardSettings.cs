using System.Collections.Immutable;

namespace Orchestrator.Core.Pipelines;

/// <summary>
/// The built-in spec guard's settings (<c>specGuard:</c>): code changed under <see cref="CodePaths"/>
/// needs a change under <see cref="SpecPaths"/> in the same range (docs/guardrails.md).
/// </summary>
public sealed record SpecGuardSettings
{
    public static SpecGuardSettings Default { get; } = new();

    /// <summary>Repository-relative path prefixes ('/' separated) whose changes need a spec change. Default: <c>src/</c>.</summary>
    public ImmutableArray<string> CodePaths { get; init; } = ["src/"];

    /// <summary>Repository-relative path prefixes that count as spec or documentation. Default: <c>docs/</c>, <c>specs/</c>.</summary>
    public ImmutableArray<string> SpecPaths { get; init; } = ["docs/", "specs/"];

    /// <summary>The ref to compare against when <c>BASE_SHA</c> is not set; default: merge-base with the default branch.</summary>
    public string? BaseRef { get; init; }

    /// <summary>The default branch for the merge-base; default: origin/HEAD, else main, else master.</summary>
    public string? DefaultBranch { get; init; }
}
