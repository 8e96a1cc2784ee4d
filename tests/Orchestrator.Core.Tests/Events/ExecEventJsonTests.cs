using System.Text.Json;
using Orchestrator.Core.Events;
using Orchestrator.Core.Json;

namespace Orchestrator.Core.Tests.Events;

[TestClass]
public sealed class ExecEventJsonTests
{
    [TestMethod]
    public void TheEnvelopeIsTypeTimestampRunIdPayloadInThatOrder()
    {
        var e = new ExecEvent(ExecEventTypes.ExecChunk, new DateTimeOffset(2025, 11, 3, 23, 58, 59, 546, TimeSpan.Zero), "2025-11-03T23-58-59-546Z-49371323",
            new ExecChunkPayload { ExecId = "001-x", Seq = 1, Stream = "stdout", Bytes = 3, Text = "a>&" });

        string json = JsonSerializer.Serialize(e, JsonDefaults.Events.ExecEvent);

        Assert.AreEqual(
            "{\"type\":\"exec:chunk\",\"timestamp\":\"2025-11-03T23:58:59.546Z\",\"runId\":\"2025-11-03T23-58-59-546Z-49371323\"," +
            "\"payload\":{\"execId\":\"001-x\",\"seq\":1,\"stream\":\"stdout\",\"bytes\":3,\"text\":\"a>&\"}}",
            json);
    }

    [TestMethod]
    public void EventsRoundTripWithTheirTypedPayload()
    {
        var original = new ExecEvent(ExecEventTypes.ExecChunk, DateTimeOffset.UnixEpoch, "2025-11-03T23-58-59-546Z-49371323",
            new ExecChunkPayload { ExecId = "001-x", Seq = 9, Stream = "stderr", Bytes = 2, Data = "AAE=", Encoding = "base64" });

        var read = JsonSerializer.Deserialize(JsonSerializer.Serialize(original, JsonDefaults.Events.ExecEvent), JsonDefaults.Events.ExecEvent)!;

        var payload = (ExecChunkPayload)read.Payload;
        Assert.AreEqual(9, payload.Seq);
        CollectionAssert.AreEqual(new byte[] { 0, 1 }, payload.GetBytes());
        Assert.AreEqual(original.Timestamp, read.Timestamp);
    }

    [TestMethod]
    public void UnknownEventTypesAreKeptNotRejected()
    {
        string line = "{\"payload\":{\"x\":1},\"type\":\"future:thing\",\"runId\":\"r\",\"timestamp\":\"2025-01-01T00:00:00.000Z\"}";

        var read = JsonSerializer.Deserialize(line, JsonDefaults.Events.ExecEvent)!;

        Assert.AreEqual("future:thing", read.Type);
        var unknown = (UnknownPayload)read.Payload;
        Assert.AreEqual(1, unknown.Raw.GetProperty("x").GetInt32());
        StringAssert.Contains(JsonSerializer.Serialize(read, JsonDefaults.Events.ExecEvent), "\"x\":1");
    }
}
