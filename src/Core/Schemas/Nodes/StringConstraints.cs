using System.Text.Json;
using System.Text.RegularExpressions;
using Orchestrator.Core.Schemas.Formats;
using Orchestrator.Core.Schemas.Validation;
using Orchestrator.Core.Schemas.Values;

namespace Orchestrator.Core.Schemas.Nodes;

/// <summary>The keywords that constrain strings: <c>minLength maxLength pattern format</c>.</summary>
internal sealed class StringConstraints(string location)
{
    public long? MinLength;
    public long? MaxLength;
    public Regex? Pattern;
    public FormatKind Format;

    public bool Evaluate(JsonElement instance, InstanceLocation? at, ErrorSink? sink)
    {
        if (MinLength is null && MaxLength is null && Pattern is null && Format == FormatKind.None)
        {
            return true;
        }

        if (!JsonValues.TryGetString(instance, out string value))
        {
            sink?.Add(at, location, "", "the string cannot be decoded (it contains an unpaired UTF-16 surrogate escape)");
            return false;
        }

        bool valid = true;
        if (MinLength is not null || MaxLength is not null)
        {
            // JSON Schema counts characters as Unicode code points, so a surrogate pair is one character.
            int length = CountCodePoints(value);
            if (length < MinLength)
            {
                if (sink is null) return false;
                valid = false;
                if (sink.Add(at, location, "/minLength", $"string is {length} characters long but must be at least {MinLength}")) return false;
            }

            if (length > MaxLength)
            {
                if (sink is null) return false;
                valid = false;
                if (sink.Add(at, location, "/maxLength", $"string is {length} characters long but must be at most {MaxLength}")) return false;
            }
        }

        bool? patternMatched = Pattern is null ? true : PatternMatch.TryMatch(Pattern, value);
        if (patternMatched is not true)
        {
            if (sink is null) return false;
            valid = false;
            string message = patternMatched is null
                ? $"matching the pattern {Pattern} took too long"
                : $"{JsonValues.Abbreviate(instance)} does not match the pattern {Pattern}";
            if (sink.Add(at, location, "/pattern", message)) return false;
        }

        if (Format != FormatKind.None && !FormatChecker.IsValid(Format, value))
        {
            if (sink is null) return false;
            valid = false;
            if (sink.Add(at, location, "/format", $"{JsonValues.Abbreviate(instance)} is not a valid {FormatChecker.Describe(Format)}")) return false;
        }

        return valid;
    }

    private static int CountCodePoints(string value)
    {
        int count = value.Length;
        for (int i = 0; i < value.Length - 1; i++)
        {
            if (char.IsHighSurrogate(value[i]) && char.IsLowSurrogate(value[i + 1]))
            {
                count--;
                i++;
            }
        }

        return count;
    }
}
