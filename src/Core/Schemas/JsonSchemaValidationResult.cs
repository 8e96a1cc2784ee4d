namespace Orchestrator.Core.Schemas;

/// <summary>The outcome of validating one instance: valid, or the errors found (at most <see cref="JsonSchemaValidator.MaxErrors"/>).</summary>
public sealed record JsonSchemaValidationResult
{
    public JsonSchemaValidationResult(IEnumerable<JsonSchemaError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        // Copy so that later changes to the caller's collection cannot alter a result that was already returned.
        Errors = Array.AsReadOnly(errors.ToArray());
    }

    /// <summary>A shared result with no errors.</summary>
    public static JsonSchemaValidationResult Success { get; } = new([]);

    public bool IsValid => Errors.Count == 0;

    public IReadOnlyList<JsonSchemaError> Errors { get; }

    // Records compare collections by reference; results are values, so compare the errors themselves.
    public bool Equals(JsonSchemaValidationResult? other) =>
        other is not null && (ReferenceEquals(this, other) || Errors.SequenceEqual(other.Errors));

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var error in Errors)
        {
            hash.Add(error);
        }

        return hash.ToHashCode();
    }

    public override string ToString() =>
        IsValid ? "valid" : string.Join(Environment.NewLine, Errors.Select(e => e.ToString()));
}
