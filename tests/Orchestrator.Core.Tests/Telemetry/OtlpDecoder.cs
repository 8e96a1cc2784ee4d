namespace Orchestrator.Core.Tests.Telemetry;

/// <summary>
/// Decodes OTLP export requests (opentelemetry-proto collector/trace/v1 and collector/metrics/v1)
/// into spans and metric points, reading the fields the tests look at and skipping the rest.
/// </summary>
internal static class OtlpDecoder
{
    public static List<OtlpSpan> Spans(ReadOnlySpan<byte> request)
    {
        var spans = new List<OtlpSpan>();
        var reader = new ProtoReader(request);
        while (reader.Next())
        {
            if (reader.Field == 1)
            {
                ResourceSpans(reader.Bytes(), spans);
            }
            else
            {
                reader.Skip();
            }
        }

        return spans;
    }

    public static List<OtlpMetricPoint> MetricPoints(ReadOnlySpan<byte> request)
    {
        var points = new List<OtlpMetricPoint>();
        var reader = new ProtoReader(request);
        while (reader.Next())
        {
            if (reader.Field == 1)
            {
                var resource = new ProtoReader(reader.Bytes());
                while (resource.Next())
                {
                    if (resource.Field == 2)
                    {
                        var scope = new ProtoReader(resource.Bytes());
                        while (scope.Next())
                        {
                            if (scope.Field == 2)
                            {
                                Metric(scope.Bytes(), points);
                            }
                            else
                            {
                                scope.Skip();
                            }
                        }
                    }
                    else
                    {
                        resource.Skip();
                    }
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return points;
    }

    private static void ResourceSpans(ReadOnlySpan<byte> message, List<OtlpSpan> spans)
    {
        var resource = new Dictionary<string, object>();
        var reader = new ProtoReader(message);
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1:
                    var resourceReader = new ProtoReader(reader.Bytes());
                    while (resourceReader.Next())
                    {
                        if (resourceReader.Field == 1)
                        {
                            KeyValue(resourceReader.Bytes(), resource);
                        }
                        else
                        {
                            resourceReader.Skip();
                        }
                    }

                    break;
                case 2:
                    ScopeSpans(reader.Bytes(), resource, spans);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
    }

    private static void ScopeSpans(ReadOnlySpan<byte> message, Dictionary<string, object> resource, List<OtlpSpan> spans)
    {
        string scope = "";
        var reader = new ProtoReader(message);
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1:
                    var scopeReader = new ProtoReader(reader.Bytes());
                    while (scopeReader.Next())
                    {
                        if (scopeReader.Field == 1)
                        {
                            scope = scopeReader.String();
                        }
                        else
                        {
                            scopeReader.Skip();
                        }
                    }

                    break;
                case 2:
                    spans.Add(Span(reader.Bytes(), scope, resource));
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
    }

    private static OtlpSpan Span(ReadOnlySpan<byte> message, string scope, Dictionary<string, object> resource)
    {
        string traceId = "", spanId = "", parent = "", name = "";
        string? statusMessage = null;
        int kind = 0, statusCode = 0;
        var attributes = new Dictionary<string, object>();
        var events = new List<string>();
        var reader = new ProtoReader(message);
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1: traceId = Convert.ToHexStringLower(reader.Bytes()); break;
                case 2: spanId = Convert.ToHexStringLower(reader.Bytes()); break;
                case 4: parent = Convert.ToHexStringLower(reader.Bytes()); break;
                case 5: name = reader.String(); break;
                case 6: kind = (int)reader.Varint(); break;
                case 9: KeyValue(reader.Bytes(), attributes); break;
                case 11:
                    var eventReader = new ProtoReader(reader.Bytes());
                    while (eventReader.Next())
                    {
                        if (eventReader.Field == 2)
                        {
                            events.Add(eventReader.String());
                        }
                        else
                        {
                            eventReader.Skip();
                        }
                    }

                    break;
                case 15:
                    var status = new ProtoReader(reader.Bytes());
                    while (status.Next())
                    {
                        switch (status.Field)
                        {
                            case 2: statusMessage = status.String(); break;
                            case 3: statusCode = (int)status.Varint(); break;
                            default: status.Skip(); break;
                        }
                    }

                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new OtlpSpan(traceId, spanId, parent, name, kind, attributes, statusCode, statusMessage, events, scope, resource);
    }

    private static void Metric(ReadOnlySpan<byte> message, List<OtlpMetricPoint> points)
    {
        string name = "";
        var reader = new ProtoReader(message);
        var data = new List<(string Kind, byte[] Bytes)>();
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1: name = reader.String(); break;
                case 5: data.Add(("gauge", reader.Bytes().ToArray())); break;
                case 7: data.Add(("sum", reader.Bytes().ToArray())); break;
                case 9: data.Add(("histogram", reader.Bytes().ToArray())); break;
                default: reader.Skip(); break;
            }
        }

        foreach (var (kind, bytes) in data)
        {
            var series = new ProtoReader(bytes);
            while (series.Next())
            {
                if (series.Field == 1)
                {
                    points.Add(Point(name, kind, series.Bytes()));
                }
                else
                {
                    series.Skip();
                }
            }
        }
    }

    private static OtlpMetricPoint Point(string name, string kind, ReadOnlySpan<byte> message)
    {
        var attributes = new Dictionary<string, object>();
        double value = 0;
        var reader = new ProtoReader(message);
        while (reader.Next())
        {
            switch (kind, reader.Field)
            {
                case ("histogram", 9):
                case (_, 7) when kind != "histogram":
                    KeyValue(reader.Bytes(), attributes);
                    break;
                case ("histogram", 4):
                    value = reader.Fixed64();
                    break;
                case (_, 4) when kind != "histogram":
                    value = BitConverter.UInt64BitsToDouble(reader.Fixed64());
                    break;
                case (_, 6) when kind != "histogram":
                    value = (long)reader.Fixed64();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new OtlpMetricPoint(name, kind, value, attributes);
    }

    private static void KeyValue(ReadOnlySpan<byte> message, Dictionary<string, object> into)
    {
        string key = "";
        object value = "";
        var reader = new ProtoReader(message);
        while (reader.Next())
        {
            if (reader.Field == 1)
            {
                key = reader.String();
            }
            else if (reader.Field == 2)
            {
                var any = new ProtoReader(reader.Bytes());
                while (any.Next())
                {
                    value = any.Field switch
                    {
                        1 => any.String(),
                        2 => any.Varint() != 0,
                        3 => (long)any.Varint(),
                        4 => BitConverter.UInt64BitsToDouble(any.Fixed64()),
                        _ => Skipped(ref any),
                    };
                }
            }
            else
            {
                reader.Skip();
            }
        }

        into[key] = value;
    }

    private static object Skipped(ref ProtoReader reader)
    {
        reader.Skip();
        return "(unsupported)";
    }
}
