namespace Orchestrator.Core.Tests.Telemetry;

/// <summary>One data point of a metric as an OTLP receiver got it: a sum's value or a histogram's count.</summary>
internal sealed record OtlpMetricPoint(string Metric, string Kind, double Value, IReadOnlyDictionary<string, object> Attributes)
{
    public object? this[string attribute] => Attributes.TryGetValue(attribute, out object? value) ? value : null;
}
