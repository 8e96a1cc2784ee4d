using System.Text.Json.Serialization;

namespace Orchestrator.Core.Events;

/// <summary>
/// Where a command's complete raw output lies, relative to the run directory. A file is created
/// when its stream writes the first byte: in a finished command's record a stream that wrote
/// nothing has null (no file); <c>exec:begin</c> names where the files will be, and has null for
/// a stream that cannot exist (a terminal has no separate stderr). Both names are always written,
/// null included, so a reader never has to guess whether a field was dropped.
/// </summary>
public sealed record CommandLogPaths(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Stdout,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Stderr);
