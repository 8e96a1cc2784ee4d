namespace Orchestrator.Core.Events;

/// <summary>
/// Where a command's complete raw output lies, relative to the run directory. A file is created
/// when its stream writes the first byte: in a finished command's record a stream that wrote
/// nothing has null (no file); <c>exec:begin</c> names where the files will be.
/// </summary>
public sealed record CommandLogPaths(string? Stdout, string? Stderr);
