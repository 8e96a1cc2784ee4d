using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Orchestrator.Core;
using Orchestrator.Core.Schemas;

namespace Orchestrator.Bench;

/// <summary>
/// What <c>orchestrator verify</c> spends per events.jsonl line on the schema: validating
/// <c>exec:chunk</c> lines with the embedded exec-event schema against only parsing them
/// (<see cref="JsonDocument.Parse(ReadOnlyMemory{byte}, JsonDocumentOptions)"/>, which verify does
/// anyway), same lines, same process, interleaved, medians. Also the one-off cost of building the
/// validator (the schema and the manifest schema it refers to) in a fresh process's first call.
/// </summary>
public static class SchemaValidationBenchmark
{
    public static int Run(int runs, int lines)
    {
        var build = Stopwatch.StartNew();
        JsonSchemaValidator validator = EmbeddedSchemas.ExecEvent;
        build.Stop();

        byte[][] events = Enumerable.Range(1, lines).Select(Chunk).ToArray();
        if (!validator.Validate(events[0].AsMemory()).IsValid)
        {
            Console.Error.WriteLine("the synthetic line is not valid: " + validator.Validate(events[0].AsMemory()));
            return 1;
        }

        Measure(events, validator);
        Measure(events, null);
        var validate = new List<double>();
        var parse = new List<double>();
        for (int run = 0; run < runs; run++)
        {
            if (run % 2 == 0)
            {
                validate.Add(Measure(events, validator));
                parse.Add(Measure(events, null));
            }
            else
            {
                parse.Add(Measure(events, null));
                validate.Add(Measure(events, validator));
            }

            Console.Write('.');
        }

        Console.WriteLine();
        double perLineValidate = Stats.Median(validate) * 1000 / lines;
        double perLineParse = Stats.Median(parse) * 1000 / lines;
        Console.WriteLine($"{lines:N0} exec:chunk lines of about {events[0].Length} bytes");
        Console.WriteLine($"first use (build the validator)  {build.Elapsed.TotalMilliseconds:0.#} ms");
        Console.WriteLine($"parse + validate                 {Stats.Describe(validate, "ms")}  = {perLineValidate:0.###} µs/line");
        Console.WriteLine($"parse only (baseline)            {Stats.Describe(parse, "ms")}  = {perLineParse:0.###} µs/line");
        Console.WriteLine($"ratio validate / parse           {Stats.Median(validate) / Stats.Median(parse):0.00}");
        return 0;
    }

    private static double Measure(byte[][] events, JsonSchemaValidator? validator)
    {
        var watch = Stopwatch.StartNew();
        int invalid = 0;
        foreach (byte[] line in events)
        {
            if (validator is null)
            {
                using var document = JsonDocument.Parse(line.AsMemory());
                invalid += document.RootElement.ValueKind == JsonValueKind.Object ? 0 : 1;
            }
            else
            {
                invalid += validator.Validate(line.AsMemory()).IsValid ? 0 : 1;
            }
        }

        watch.Stop();
        return invalid == 0 ? watch.Elapsed.TotalMilliseconds : throw new InvalidOperationException($"{invalid} lines were invalid");
    }

    private static byte[] Chunk(int seq) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $$$"""{"type":"exec:chunk","timestamp":"2026-12-07T14:32:43.472Z","runId":"2026-12-07T14-32-43-336Z-7b54dd20","payload":{"execId":"001-sh","seq":{{{seq}}},"stream":"stdout","bytes":14,"text":"line {{{seq}}}\nline 5\n"}}"""));
}
