namespace Orchestrator.Core.Tests.Telemetry;

/// <summary>A span as an OTLP receiver got it.</summary>
internal sealed record OtlpSpan(
    string TraceId,
    string SpanId,
    string ParentSpanId,
    string Name,
    int Kind,
    IReadOnlyDictionary<string, object> Attributes,
    int StatusCode,
    string? StatusMessage,
    IReadOnlyList<string> Events,
    string Scope,
    IReadOnlyDictionary<string, object> Resource)
{
    public object? this[string attribute] => Attributes.TryGetValue(attribute, out object? value) ? value : null;
}
