namespace Orchestrator.Core.Telemetry;

/// <summary>
/// Counts what an OTLP export request carries, reading just enough of the protobuf wire format:
/// spans in an <c>ExportTraceServiceRequest</c>, data points in an <c>ExportMetricsServiceRequest</c>.
/// The exporter only says "sent" or "not sent"; the manifest wants how much the endpoint accepted.
/// A payload it cannot read counts what it read up to there.
/// </summary>
internal static class OtlpPayloadCounter
{
    private const int LengthDelimited = 2;

    /// <summary>resource_spans (1) → scope_spans (2) → spans (2).</summary>
    public static long CountSpans(ReadOnlySpan<byte> request)
    {
        long count = 0;
        ForEachField(request, 1, resource => ForEachField(resource, 2, scope => count += CountFields(scope, 2)));
        return count;
    }

    /// <summary>resource_metrics (1) → scope_metrics (2) → metrics (2) → gauge/sum/histogram/exponential histogram/summary → data_points (1).</summary>
    public static long CountDataPoints(ReadOnlySpan<byte> request)
    {
        long count = 0;
        ForEachField(request, 1, resource => ForEachField(resource, 2, scope => ForEachField(scope, 2, metric =>
        {
            foreach (int kind in (ReadOnlySpan<int>)[5, 7, 9, 10, 11])
            {
                ForEachField(metric, kind, data => count += CountFields(data, 1));
            }
        })));
        return count;
    }

    /// <summary>
    /// The data points of the series <paramref name="owned"/> accepts, a series being the metric's
    /// name and the point's attributes (<see cref="RunInstruments.SeriesKey"/>): how much of a
    /// request shared by several runs was one run's.
    /// </summary>
    public static long CountDataPoints(ReadOnlySpan<byte> request, Func<string, bool> owned)
    {
        long count = 0;
        ForEachField(request, 1, resource => ForEachField(resource, 2, scope => ForEachField(scope, 2, metric =>
        {
            string name = ReadString(metric, 1);
            // gauge, sum, histogram, exponential histogram, summary: where each keeps its attributes.
            foreach (var (kind, attributesField) in (ReadOnlySpan<(int, int)>)[(5, 7), (7, 7), (9, 9), (10, 1), (11, 7)])
            {
                ForEachField(metric, kind, data => ForEachField(data, 1, point =>
                {
                    var tags = new List<KeyValuePair<string, string>>();
                    ForEachField(point, attributesField, pair => tags.Add(new(ReadString(pair, 1), ReadAnyString(pair))));
                    if (owned(RunInstruments.SeriesKey(name, tags)))
                    {
                        count++;
                    }
                }));
            }
        })));
        return count;
    }

    /// <summary>A gRPC message: one uncompressed length-prefixed frame (flag byte, 4-byte big-endian length).</summary>
    public static ReadOnlySpan<byte> GrpcMessage(ReadOnlySpan<byte> body)
    {
        if (body.Length < 5 || body[0] != 0)
        {
            return [];
        }

        int length = (body[1] << 24) | (body[2] << 16) | (body[3] << 8) | body[4];
        return length >= 0 && length <= body.Length - 5 ? body.Slice(5, length) : [];
    }

    private delegate void FieldAction(ReadOnlySpan<byte> value);

    private static long CountFields(ReadOnlySpan<byte> message, int field)
    {
        long count = 0;
        ForEachField(message, field, _ => count++);
        return count;
    }

    private static string ReadString(ReadOnlySpan<byte> message, int field)
    {
        string text = string.Empty;
        ForEachField(message, field, value => text = System.Text.Encoding.UTF8.GetString(value));
        return text;
    }

    /// <summary>A KeyValue's value (field 2) when it is an AnyValue string (field 1); our attributes are all strings.</summary>
    private static string ReadAnyString(ReadOnlySpan<byte> pair)
    {
        string text = string.Empty;
        ForEachField(pair, 2, value => text = ReadString(value, 1));
        return text;
    }

    private static void ForEachField(ReadOnlySpan<byte> message, int field, FieldAction action)
    {
        int position = 0;
        while (position < message.Length)
        {
            if (!TryReadVarint(message, ref position, out ulong tag))
            {
                return;
            }

            int number = (int)(tag >> 3);
            int wireType = (int)(tag & 7);
            switch (wireType)
            {
                case 0:
                    if (!TryReadVarint(message, ref position, out _))
                    {
                        return;
                    }

                    break;
                case 1:
                    position += 8;
                    break;
                case 5:
                    position += 4;
                    break;
                case LengthDelimited:
                    if (!TryReadVarint(message, ref position, out ulong length) || length > (ulong)(message.Length - position))
                    {
                        return;
                    }

                    if (number == field)
                    {
                        action(message.Slice(position, (int)length));
                    }

                    position += (int)length;
                    break;
                default:
                    return; // groups are not used by OTLP: not a payload this can read
            }
        }
    }

    private static bool TryReadVarint(ReadOnlySpan<byte> data, ref int position, out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < 64 && position < data.Length; shift += 7)
        {
            byte b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return true;
            }
        }

        return false;
    }
}
