namespace Orchestrator.Core.Schemas.Validation;

/// <summary>Collects errors for one validation call, up to a fixed capacity.</summary>
/// <remarks>
/// Evaluation passes a null sink when it only needs a yes or no (anyOf, oneOf, not, if); that lets it stop at the
/// first failure instead of building messages nobody reads.
/// </remarks>
internal sealed class ErrorSink(int capacity)
{
    private readonly List<JsonSchemaError> _errors = [];

    public bool IsFull => _errors.Count >= capacity;

    public JsonSchemaError? First => _errors.Count > 0 ? _errors[0] : null;

    /// <summary>True when evaluation after a failure is pointless: nobody wants details, or no more fit.</summary>
    public static bool ShouldStop(ErrorSink? sink) => sink is null || sink.IsFull;

    /// <summary>Records an error and returns true once no more will be accepted, telling callers to stop.</summary>
    public bool Add(InstanceLocation? at, string schemaLocation, string keyword, string message)
    {
        if (!IsFull)
        {
            _errors.Add(new JsonSchemaError(InstanceLocation.ToPointer(at), schemaLocation + keyword, message));
        }

        return IsFull;
    }

    public JsonSchemaValidationResult ToResult() =>
        _errors.Count == 0 ? JsonSchemaValidationResult.Success : new JsonSchemaValidationResult(_errors);
}
