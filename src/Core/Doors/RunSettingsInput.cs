using System.Collections.Immutable;
using Orchestrator.Core.Configuration;

namespace Orchestrator.Core.Doors;

/// <summary>What <see cref="RunInputReader"/> made of a <see cref="RunInput"/>: the door's settings, at the explicit level of precedence.</summary>
/// <param name="Settings">The settings the resolver ranks above the environment and the configuration.</param>
/// <param name="KillGracePeriod">Between SIGTERM and SIGKILL; null for the default.</param>
/// <param name="OtelEndpoint">The door's OTLP endpoint (or <c>off</c>); null when not set here.</param>
/// <param name="Notify">The door's notification targets; empty when not set here.</param>
public sealed record RunSettingsInput(ExplicitSettings Settings, TimeSpan? KillGracePeriod, string? OtelEndpoint, ImmutableArray<string> Notify);
