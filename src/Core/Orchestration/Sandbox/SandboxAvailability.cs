namespace Orchestrator.Core.Orchestration.Sandbox;

/// <summary>The result of the start-up probe.</summary>
/// <param name="State">Available, unavailable or failed.</param>
/// <param name="BubblewrapPath">The bwrap that was probed, if one was found.</param>
/// <param name="Version">What <c>bwrap --version</c> said.</param>
/// <param name="Detail">Why it is not available, in words a build engineer can act on.</param>
public sealed record SandboxAvailability(SandboxAvailabilityState State, string? BubblewrapPath, string? Version, string? Detail)
{
    public bool IsAvailable => State == SandboxAvailabilityState.Available;

    public const string InstallHint = "install bubblewrap (Debian/Ubuntu: apt-get install -y bubblewrap)";
}
