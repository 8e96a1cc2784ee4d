using System.Collections.Immutable;
using Orchestrator.Core.Orchestration.Sandbox;

namespace Orchestrator.Core.Orchestration;

/// <summary>How to put an attempt in the sandbox: which bwrap, with what access, and which paths stay read-only regardless.</summary>
/// <param name="BubblewrapPath">The probed bwrap.</param>
/// <param name="Settings">Mode, network, writable roots.</param>
/// <param name="ProtectedPaths">Paths kept read-only even inside writable ones (the runs root).</param>
public sealed record SandboxLaunch(string BubblewrapPath, SandboxSettings Settings, ImmutableArray<string> ProtectedPaths);
