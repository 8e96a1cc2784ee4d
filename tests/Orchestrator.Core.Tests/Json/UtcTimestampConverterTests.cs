using System.Globalization;
using System.Text;
using System.Text.Json;
using Orchestrator.Core.Json;

namespace Orchestrator.Core.Tests.Json;

[TestClass]
public sealed class UtcTimestampConverterTests
{
    [TestMethod]
    [DataRow("0001-01-01T00:00:00.0000000+00:00", "0001-01-01T00:00:00.000Z")]
    [DataRow("9999-12-31T23:59:59.9999999+00:00", "9999-12-31T23:59:59.999Z")]
    [DataRow("2026-11-22T09:30:15.1239999+00:00", "2026-11-22T09:30:15.123Z")]
    [DataRow("2026-01-01T01:30:00.0070000+02:00", "2025-12-31T23:30:00.007Z")]
    [DataRow("2024-02-29T18:05:09.0500000-07:00", "2024-03-01T01:05:09.050Z")]
    public void TimestampsAreWrittenInUtcToTheMillisecond(string value, string expected)
    {
        Assert.AreEqual(expected, Write(DateTimeOffset.Parse(value, CultureInfo.InvariantCulture)));
    }

    [TestMethod]
    public void TheHandWrittenDigitsMatchTheFormatString()
    {
        // The format string the wire format is defined by, against the digits placed by hand.
        var random = new Random(20261122);
        Span<byte> text = stackalloc byte[24];
        for (int i = 0; i < 20_000; i++)
        {
            var value = new DateTimeOffset(random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay), TimeSpan.Zero);
            string expected = value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            UtcTimestampConverter.Format(value, text);
            Assert.AreEqual(expected, Encoding.ASCII.GetString(text), $"ticks {value.Ticks}");
        }
    }

    [TestMethod]
    public void AWrittenTimestampReadsBackToTheSameMillisecond()
    {
        var value = new DateTimeOffset(2026, 11, 22, 14, 5, 6, 789, TimeSpan.FromHours(5.5));
        var options = new JsonSerializerOptions { Converters = { new UtcTimestampConverter() } };

        var back = JsonSerializer.Deserialize<DateTimeOffset>(JsonSerializer.Serialize(value, options), options);

        Assert.AreEqual(value, back);
        Assert.AreEqual(TimeSpan.Zero, back.Offset);
    }

    private static string Write(DateTimeOffset value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            UtcTimestampConverter.WriteTimestamp(writer, value);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan).Trim('"');
    }
}
