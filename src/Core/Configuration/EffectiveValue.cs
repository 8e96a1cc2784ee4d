namespace Orchestrator.Core.Configuration;

/// <summary>A resolved setting: its value, the level that supplied it, and where in a file when it came from one.</summary>
public sealed record EffectiveValue<T>(T Value, SettingSource Source, ConfigLocation? Location = null);
