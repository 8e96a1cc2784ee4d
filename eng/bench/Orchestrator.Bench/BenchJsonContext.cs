using System.Text.Json.Serialization;

namespace Orchestrator.Bench;

[JsonSerializable(typeof(ChildResult))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
