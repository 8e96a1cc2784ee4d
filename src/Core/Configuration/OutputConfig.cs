namespace Orchestrator.Core.Configuration;

/// <summary>The <c>output:</c> section of one file. A null member was not set there.</summary>
public sealed record OutputConfig
{
    public static OutputConfig Empty { get; } = new();

    /// <summary>Output bytes per command carried by <c>exec:chunk</c> events; 0 = unlimited.</summary>
    public ConfigValue<long>? EventBudgetBytes { get; init; }

    /// <summary>Head+tail bytes kept per stream in the manifest (at least 2).</summary>
    public ConfigValue<int>? CaptureBytes { get; init; }
}
