using System.Runtime.InteropServices;

namespace Orchestrator.Core.Runs;

/// <summary>Where the run happened.</summary>
public sealed record EnvironmentInfo(string Os, string OsDescription, string Architecture, string Runtime, string Hostname, CiInfo? Ci)
{
    public static EnvironmentInfo Capture() => new(
        OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsMacOS() ? "macos" : OperatingSystem.IsWindows() ? "windows" : "other",
        RuntimeInformation.OSDescription,
        RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
        RuntimeInformation.FrameworkDescription,
        System.Environment.MachineName,
        CiInfo.Detect(System.Environment.GetEnvironmentVariable));
}
