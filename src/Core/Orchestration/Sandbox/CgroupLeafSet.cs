using System.Collections.Immutable;

namespace Orchestrator.Core.Orchestration.Sandbox;

/// <summary>The cgroups one command runs in (one per hierarchy), the limits written into them, and which limits they give.</summary>
internal sealed record CgroupLeafSet(ImmutableArray<CgroupLeaf> Leaves, SandboxLimits Limits, List<SandboxLimiter.CgroupParent> Usable)
{
    public static CgroupLeafSet None { get; } = new([], SandboxLimits.None, []);
}
