namespace Orchestrator.Core.Security;

/// <summary>
/// Which environment variable names hold secrets: any name containing TOKEN, SECRET, PASSWORD or
/// KEY (case-insensitive). Their values are never written to events, manifests, logs or telemetry.
/// </summary>
public static class SecretNames
{
    public const string Mask = "***";

    private static readonly string[] Markers = ["TOKEN", "SECRET", "PASSWORD", "KEY"];

    public static bool LooksSecret(string name)
    {
        foreach (string marker in Markers)
        {
            if (name.Contains(marker, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
