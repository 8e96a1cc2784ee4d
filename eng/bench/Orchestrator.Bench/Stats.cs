namespace Orchestrator.Bench;

/// <summary>Medians and spreads of repeated measurements (this machine is noisy: medians, never single runs).</summary>
public static class Stats
{
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.OrderBy(v => v).ToArray();
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    public static string Describe(IReadOnlyList<double> values, string unit) =>
        $"median {Median(values):0.###} {unit} (min {values.Min():0.###}, max {values.Max():0.###}, n={values.Count})";
}
