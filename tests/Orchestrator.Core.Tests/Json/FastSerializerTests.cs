using System.Text;
using System.Text.Json;
using Orchestrator.Core.Events;
using Orchestrator.Core.Json;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Json;

[TestClass]
public sealed class FastSerializerTests
{
    [TestMethod]
    public void AFullyPopulatedManifestIsWrittenByteForByteAsTheSerializerWritesIt()
    {
        var manifest = Populated.Create<RunManifest>();

        byte[] expected = JsonSerializer.SerializeToUtf8Bytes(manifest, JsonDefaults.Manifest.RunManifest);
        byte[] actual = ManifestSerializer.SerializeToUtf8Bytes(manifest);

        Assert.AreEqual(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(actual));
        StringAssert.Contains(Encoding.UTF8.GetString(actual), "<é>&", "the relaxed encoder applies");
    }

    [TestMethod]
    [DataRow(typeof(RunBeginPayload))]
    [DataRow(typeof(ExecBeginPayload))]
    [DataRow(typeof(ExecChunkPayload))]
    [DataRow(typeof(ExecEndPayload))]
    [DataRow(typeof(RunSummaryPayload))]
    [DataRow(typeof(ToolBeginPayload))]
    [DataRow(typeof(ToolEndPayload))]
    [DataRow(typeof(ExecRetryPayload))]
    [DataRow(typeof(ApprovalDecisionPayload))]
    [DataRow(typeof(SessionCreatedPayload))]
    [DataRow(typeof(SessionDisposedPayload))]
    public void EveryPayloadIsWrittenAsTheSerializerWritesIt(Type payloadType)
    {
        var create = typeof(Populated).GetMethod(nameof(Populated.Create))!.MakeGenericMethod(payloadType);
        var payload = (ExecEventPayload)create.Invoke(null, null)!;
        var timestamp = new DateTimeOffset(2026, 11, 22, 9, 30, 15, 123, TimeSpan.Zero);
        var executionEvent = new ExecEvent(ExecEventTypes.ExecEnd, timestamp, "2026-11-22T09-30-15-123Z-0badcafe", payload);

        string payloadJson = JsonSerializer.Serialize(payload, JsonDefaults.Events.Options.GetTypeInfo(payloadType));
        string expected = "{\"type\":\"exec:end\",\"timestamp\":\"2026-11-22T09:30:15.123Z\",\"runId\":\"2026-11-22T09-30-15-123Z-0badcafe\",\"payload\":" + payloadJson + "}";

        Assert.AreEqual(expected, Write(executionEvent));
        Assert.AreEqual(expected, JsonSerializer.Serialize(executionEvent, JsonDefaults.Events.ExecEvent), "the converter writes the same");
    }

    [TestMethod]
    public void ATaskStateLineIsWrittenAsTheSerializerWritesIt()
    {
        var entry = Populated.Create<Orchestrator.Core.Runs.State.TaskStateEntry>();
        var options = new JsonSerializerOptions(Orchestrator.Core.Runs.State.TaskStateJsonContext.Default.Options) { Encoder = JsonDefaults.Encoder };
        var context = new Orchestrator.Core.Runs.State.TaskStateJsonContext(options);

        string expected = JsonSerializer.Serialize(entry, context.TaskStateEntry) + "\n";

        Assert.AreEqual(expected, Encoding.UTF8.GetString(Orchestrator.Core.Runs.State.TaskStateStore.EncodeLine(entry)));
        StringAssert.Contains(expected, "\"timestamp\":\"2026-11-22T09:30:15.123Z\"");
    }

    [TestMethod]
    [DataRow(typeof(RunBeginPayload))]
    [DataRow(typeof(ToolBeginPayload))]
    [DataRow(typeof(ExecBeginPayload))]
    [DataRow(typeof(ExecChunkPayload))]
    [DataRow(typeof(ExecEndPayload))]
    [DataRow(typeof(ToolEndPayload))]
    [DataRow(typeof(RunSummaryPayload))]
    public void EveryHotEventPayloadHasAGeneratedWriter(Type payload)
    {
        // A converter on one property (a timestamp, say) is enough for the generator to make no
        // writer for the type, and FastSerializer would then fall back without a sound.
        Assert.IsTrue(HasGeneratedWriter(JsonDefaults.Events, payload), $"{payload.Name} has no generated writer");
    }

    [TestMethod]
    public void ManifestsAndTaskStateLinesHaveGeneratedWriters()
    {
        // Their required timestamps travel through nullable twins (WireTimestamp): a converter on a
        // property would cost the type its generated writer, and FastSerializer would fall back to
        // building the metadata without a sound (docs/cli.md#start-up).
        Assert.IsTrue(HasGeneratedWriter(JsonDefaults.Manifest, typeof(RunManifest)));
        Assert.IsTrue(HasGeneratedWriter(Orchestrator.Core.Runs.State.TaskStateJsonContext.Default, typeof(Orchestrator.Core.Runs.State.TaskStateEntry)));
        Assert.IsTrue(HasGeneratedWriter(JsonDefaults.Manifest, typeof(CommandRecord)));
    }

    [TestMethod]
    public void AManifestReadBackKeepsItsTimestampsToTheMillisecond()
    {
        var manifest = Populated.Create<RunManifest>() with
        {
            StartedAt = new DateTimeOffset(2026, 11, 22, 9, 30, 15, 123, TimeSpan.Zero),
            UpdatedAt = new DateTimeOffset(2026, 11, 22, 9, 30, 16, 456, TimeSpan.Zero),
            HeartbeatAt = new DateTimeOffset(2026, 11, 22, 11, 30, 17, 789, TimeSpan.FromHours(2)),
        };
        string json = Encoding.UTF8.GetString(ManifestSerializer.SerializeToUtf8Bytes(manifest));
        StringAssert.Contains(json, "\"heartbeatAt\": \"2026-11-22T09:30:17.789Z\"", "written in UTC");

        RunManifest back = JsonSerializer.Deserialize(json, JsonDefaults.Manifest.RunManifest)!;
        Assert.AreEqual(manifest.StartedAt, back.StartedAt);
        Assert.AreEqual(manifest.UpdatedAt, back.UpdatedAt);
        Assert.AreEqual(manifest.HeartbeatAt, back.HeartbeatAt);
    }

    [TestMethod]
    [DataRow("\"startedAt\": \"2026-11-22T09:30:15.123Z\",", "", "startedAt")]
    [DataRow("\"startedAt\": \"2026-11-22T09:30:15.123Z\",", "\"startedAt\": null,", "startedAt")]
    [DataRow("\"heartbeatAt\": \"2026-11-22T09:30:15.123Z\",", "", "heartbeatAt")]
    public void AManifestWithoutARequiredTimestampIsRejectedByName(string present, string replacement, string name)
    {
        string json = Encoding.UTF8.GetString(ManifestSerializer.SerializeToUtf8Bytes(Populated.Create<RunManifest>()));
        Assert.Contains(present, json);

        var error = Assert.ThrowsExactly<JsonException>(() => JsonSerializer.Deserialize(json.Replace(present, replacement, StringComparison.Ordinal), JsonDefaults.Manifest.RunManifest));
        StringAssert.Contains(error.Message, name);
    }

    [TestMethod]
    public void ATypeWithoutAGeneratedHandlerFallsBackToTheSerializer()
    {
        // ExecEvent is written by a custom converter: the generator made no handler for it.
        var handler = FastSerializer.HandlerFor<ExecEvent>(JsonDefaults.Events);
        var executionEvent = new ExecEvent(ExecEventTypes.ExecChunk, DateTimeOffset.UnixEpoch, "r", new ExecChunkPayload { ExecId = "001-x", Seq = 1, Stream = "stdout", Bytes = 1, Text = "x" });

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            handler(writer, executionEvent);
        }

        Assert.AreEqual(JsonSerializer.Serialize(executionEvent, JsonDefaults.Events.ExecEvent), Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static string Write(ExecEvent executionEvent)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, JsonDefaults.EventWriterOptions))
        {
            ExecEventSerializer.Write(writer, executionEvent);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static bool HasGeneratedWriter(System.Text.Json.Serialization.JsonSerializerContext context, Type type) =>
        ((System.Text.Json.Serialization.Metadata.IJsonTypeInfoResolver)context).GetTypeInfo(type, context.Options) is { } info
        && info.GetType().GetProperty("SerializeHandler")!.GetValue(info) is not null;
}
