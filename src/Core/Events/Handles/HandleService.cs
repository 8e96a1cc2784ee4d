using System.Diagnostics.CodeAnalysis;

namespace Orchestrator.Core.Events.Handles;

/// <summary>
/// Keeps an <see cref="OutputHandle"/> per exec and session, so their output can be replayed and
/// followed live. The number of handles is bounded: opening one more than
/// <see cref="HandleOptions.MaxHandles"/> prunes the handle that ended longest ago (its stored
/// frames are released); when every kept handle is still open, Open refuses.
/// </summary>
public sealed class HandleService
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, OutputHandle> _handles = new(StringComparer.Ordinal);
    private readonly LinkedList<OutputHandle> _ended = new();
    private long _opened;

    /// <summary>
    /// The process-wide service the runs of this process use unless told otherwise: a handle can
    /// be attached to while its run is going on, from the same process (SDK host, CLI, build node).
    /// At most 128 handles (of 4 MiB each at most) are kept.
    /// </summary>
    public static HandleService Shared { get; } = new(new HandleOptions { MaxHandles = 128 });

    public HandleService(HandleOptions? options = null)
    {
        Options = options ?? HandleOptions.Default;
        Options.Validate();
    }

    public HandleOptions Options { get; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _handles.Count;
            }
        }
    }

    /// <summary>Guard decisions held over all kept handles (see <see cref="OutputHandle.RetainedDecisionCount"/>).</summary>
    internal long RetainedDecisionCount
    {
        get
        {
            OutputHandle[] handles;
            lock (_gate)
            {
                handles = [.. _handles.Values];
            }

            return handles.Sum(h => (long)h.RetainedDecisionCount);
        }
    }

    /// <summary>
    /// Opens a handle. An id still held by an ended handle is taken over by the new one; an id held
    /// by an open handle is refused.
    /// </summary>
    /// <param name="kind"><see cref="HandleKinds.Exec"/> or <see cref="HandleKinds.Session"/>.</param>
    /// <exception cref="InvalidOperationException">The id is open already, or every kept handle is open and the limit is reached.</exception>
    public OutputHandle Open(string handleId, string kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(handleId);
        ArgumentException.ThrowIfNullOrEmpty(kind);
        var released = new List<OutputHandle>();
        OutputHandle handle;
        lock (_gate)
        {
            if (_handles.TryGetValue(handleId, out OutputHandle? existing))
            {
                if (!existing.IsEnded)
                {
                    throw new InvalidOperationException($"A handle '{handleId}' is already open.");
                }

                RemoveLocked(existing);
                released.Add(existing);
            }

            while (_handles.Count >= Options.MaxHandles)
            {
                // An ended handle whose end notification is still on its way is not linked yet.
                OutputHandle victim = _ended.First?.Value
                    ?? _handles.Values.Where(h => h.IsEnded).MinBy(h => h.OpenOrder)
                    ?? throw new InvalidOperationException(
                        $"All {Options.MaxHandles} handles are open; complete or dispose one before opening '{handleId}'.");
                RemoveLocked(victim);
                released.Add(victim);
            }

            handle = new OutputHandle(handleId, kind, ++_opened, Options, OnEnded);
            _handles.Add(handleId, handle);
        }

        // Outside the service lock: releasing takes each handle's own lock.
        foreach (OutputHandle old in released)
        {
            old.ReleaseFrames();
        }

        return handle;
    }

    public bool TryGet(string handleId, [MaybeNullWhen(false)] out OutputHandle handle)
    {
        lock (_gate)
        {
            return _handles.TryGetValue(handleId, out handle);
        }
    }

    /// <summary>The kept handles, in the order they were opened.</summary>
    public IReadOnlyList<HandleInfo> List()
    {
        OutputHandle[] handles;
        lock (_gate)
        {
            handles = [.. _handles.Values.OrderBy(h => h.OpenOrder)];
        }

        return [.. handles.Select(h => h.Info)];
    }

    private void OnEnded(OutputHandle handle)
    {
        lock (_gate)
        {
            if (_handles.TryGetValue(handle.Id, out OutputHandle? kept) && ReferenceEquals(kept, handle) && handle.EndedNode is null)
            {
                handle.EndedNode = _ended.AddLast(handle);
            }
        }
    }

    private void RemoveLocked(OutputHandle handle)
    {
        _handles.Remove(handle.Id);
        if (handle.EndedNode is { } node)
        {
            _ended.Remove(node);
            handle.EndedNode = null;
        }
    }
}
