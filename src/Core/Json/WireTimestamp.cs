using System.Text.Json;

namespace Orchestrator.Core.Json;

/// <summary>
/// Support for the pattern that keeps a record's generated JSON writer: a required timestamp is a
/// public <see cref="DateTimeOffset"/> marked <c>[JsonIgnore]</c>, and an internal
/// <c>DateTimeOffset?</c> twin carries it on the wire. The generator writes a non-nullable
/// <see cref="DateTimeOffset"/> itself (<c>+00:00</c>, ignoring the context's
/// <see cref="UtcTimestampConverter"/>) but hands a nullable one to the converter; and a converter put
/// on the property instead costs the whole type its generated writer, which a short-lived process
/// then pays for in metadata built on its first manifest (docs/cli.md#start-up).
/// </summary>
internal static class WireTimestamp
{
    /// <summary>The error for a manifest or state line whose required timestamp is <c>null</c>.</summary>
    public static JsonException Null(string name) => new($"'{name}' must be a timestamp, not null.");
}
