using System.Security.Cryptography;
using Orchestrator.Core.Exec;

namespace Orchestrator.Core.Commands.Sessions;

/// <summary>
/// Keeps reusable sessions by id. At most <see cref="MaxSessions"/> exist at once; making room
/// disposes least-recently-used sessions, those whose shell already exited first, and never one
/// of the <see cref="ProtectedRecent"/> most recently used or one running a command. A session
/// whose shell exited underneath us is replaced on next use, and the caller is told why.
/// </summary>
public sealed class ExecSessionManager : IAsyncDisposable
{
    public const int DefaultMaxSessions = 64;
    public const int DefaultProtectedRecent = 8;

    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<string, ExecSession> _sessions = new(StringComparer.Ordinal);
    private long _clock;
    private readonly Dictionary<string, long> _lastTouched = new(StringComparer.Ordinal);

    public ExecSessionManager(int maxSessions = DefaultMaxSessions, int protectedRecent = DefaultProtectedRecent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSessions, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(protectedRecent);
        MaxSessions = maxSessions;
        ProtectedRecent = protectedRecent;
    }

    /// <summary>The process-wide manager (MSBuild node, CLI, SDK host): sessions outlive one run.</summary>
    public static ExecSessionManager Shared { get; } = CreateShared();

    public int MaxSessions { get; }

    public int ProtectedRecent { get; }

    public int Count
    {
        get
        {
            lock (_sessions)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary>A fresh session id: <c>s-</c> and 12 hex digits.</summary>
    public static string NewId() => "s-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    /// <summary>Validates a caller's session id: 1-64 of [A-Za-z0-9._-].</summary>
    public static void ValidateId(string id)
    {
        if (!Validation.SessionId.IsValid(id, out _))
        {
            throw new OrchestratorException(OrchestratorErrorCode.InvalidRequest,
                $"Invalid session id '{id}': use 1-64 characters from [A-Za-z0-9._-].");
        }
    }

    public ExecSession? TryGet(string id)
    {
        lock (_sessions)
        {
            return _sessions.GetValueOrDefault(id);
        }
    }

    public IReadOnlyList<SessionInfo> List()
    {
        lock (_sessions)
        {
            return [.. _sessions.Values.Select(s => s.Describe()).OrderBy(s => s.CreatedAt)];
        }
    }

    /// <summary>
    /// The live session with this id, or a new one started with <paramref name="options"/>
    /// (a null id makes one up). A session whose shell has exited is disposed and replaced; the
    /// result says so, and lists the sessions pruned to make room.
    /// </summary>
    public async Task<SessionLease> GetOrStartAsync(string? id, SessionStartOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        id ??= NewId();
        ValidateId(id);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var disposed = new List<DisposedSession>();
            string? replaced = null;
            if (TryGet(id) is { } existing)
            {
                if (existing.IsAlive && existing.SandboxKey == options.SandboxKey)
                {
                    Touch(id);
                    return new SessionLease(existing, Created: false, ReplacedBecause: null, disposed);
                }

                replaced = existing.IsAlive
                    ? $"The session's sandbox ({Describe(existing.SandboxKey)}) is not the one this command needs ({Describe(options.SandboxKey)})."
                    : existing.EndReason;
                await RemoveAsync(existing, replaced ?? "ended", disposed).ConfigureAwait(false);
            }

            await MakeRoomAsync(disposed).ConfigureAwait(false);
            var session = await ExecSession.StartAsync(id, options, cancellationToken).ConfigureAwait(false);
            lock (_sessions)
            {
                _sessions[id] = session;
            }

            Touch(id);
            return new SessionLease(session, Created: true, replaced, disposed);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Marks a session as just used (it moves to the protected end of the pruning order).</summary>
    public void Touch(string id)
    {
        lock (_sessions)
        {
            _lastTouched[id] = ++_clock;
        }
    }

    /// <summary>Ends a session and forgets it; false when there was none.</summary>
    public async Task<bool> DisposeSessionAsync(string id, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (TryGet(id) is not { } session)
            {
                return false;
            }

            await RemoveAsync(session, "disposed", []).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _lock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        ExecSession[] all;
        lock (_sessions)
        {
            all = [.. _sessions.Values];
            _sessions.Clear();
            _lastTouched.Clear();
        }

        foreach (var session in all)
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The order in which sessions would be pruned: exited before live, least recently used first.</summary>
    public IReadOnlyList<string> PruneOrder()
    {
        lock (_sessions)
        {
            var byRecency = _sessions.Keys.OrderByDescending(k => _lastTouched.GetValueOrDefault(k)).ToList();
            var protectedIds = byRecency.Take(ProtectedRecent).ToHashSet(StringComparer.Ordinal);
            return [.. _sessions.Values
                .Where(s => !protectedIds.Contains(s.Id) && !s.IsRunning)
                .OrderBy(s => s.IsAlive ? 1 : 0)
                .ThenBy(s => _lastTouched.GetValueOrDefault(s.Id))
                .Select(s => s.Id)];
        }
    }

    private async Task MakeRoomAsync(List<DisposedSession> disposed)
    {
        while (Count >= MaxSessions)
        {
            var order = PruneOrder();
            if (order.Count == 0)
            {
                throw new OrchestratorException(OrchestratorErrorCode.TerminalUnavailable,
                    $"{MaxSessions} sessions exist and none can be pruned (the {ProtectedRecent} most recently used are protected and running ones are never pruned); dispose one first.");
            }

            var victim = TryGet(order[0])!;
            await RemoveAsync(victim, victim.IsAlive ? "pruned (least recently used)" : "pruned (shell exited)", disposed).ConfigureAwait(false);
        }
    }

    private async Task RemoveAsync(ExecSession session, string reason, List<DisposedSession> disposed)
    {
        lock (_sessions)
        {
            _sessions.Remove(session.Id);
            _lastTouched.Remove(session.Id);
        }

        var info = session.Describe();
        await session.DisposeAsync().ConfigureAwait(false);
        disposed.Add(new DisposedSession(info with { Status = "disposed" }, reason));
    }

    private static string Describe(string sandboxKey) => sandboxKey == "none" ? "none" : sandboxKey.Split('|')[1];

    private static ExecSessionManager CreateShared()
    {
        var manager = new ExecSessionManager();

        // Shells must not outlive the build node or CLI that started them.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => manager.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5));
        return manager;
    }
}
