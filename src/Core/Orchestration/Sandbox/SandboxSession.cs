using System.Buffers;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Native;

namespace Orchestrator.Core.Orchestration.Sandbox;

/// <summary>
/// One bubblewrap sandbox kept alive to run many commands: it hosts Orchestrator.SandboxHost,
/// which starts each command (its own process group, the FIFOs we read as stdout/stderr) on a
/// JSON-lines request and reports its pid and exit status. A command then costs a request and a
/// posix_spawn instead of a new set of namespaces and mounts (~6 ms here). The sandbox's rules are
/// those of the first command: commands with the same settings and workspace share it (and its
/// private /tmp). It dies with us (--die-with-parent) or when its stdin closes.
/// </summary>
internal sealed unsafe class SandboxSession : IDisposable
{
    public const string HostAssemblyName = "Orchestrator.SandboxHost.dll";

    private readonly Lock _gate = new();
    private readonly Dictionary<long, Pending> _pending = [];
    private readonly string _fifoDirectory;
    private int _stdin;
    private int _stdout;
    private long _nextId;
    private bool _dead;

    private SandboxSession(int pid, int stdin, int stdout, string fifoDirectory)
    {
        HostPid = pid;
        _stdin = stdin;
        _stdout = stdout;
        _fifoDirectory = fifoDirectory;
        var reader = new Thread(ReadResponses) { IsBackground = true, Name = $"sandbox-session-{pid}" };
        reader.Start();
    }

    public int HostPid { get; }

    public bool IsAlive
    {
        get
        {
            lock (_gate)
            {
                return !_dead;
            }
        }
    }

    /// <summary>Where the per-command FIFOs are made (visible, read-only, inside the sandbox).</summary>
    public string FifoDirectory => _fifoDirectory;

    /// <summary>Starts a session, or returns null with the reason (no host assembly, bwrap or dotnet failing).</summary>
    public static SandboxSession? TryStart(SandboxLaunch launch, string workspaceRoot, out string? failure)
    {
        failure = null;
        string? hostDirectory = Path.GetDirectoryName(typeof(SandboxSession).Assembly.Location);
        string? host = hostDirectory is null ? null : Path.Combine(hostDirectory, HostAssemblyName);
        string? muxer = DotnetMuxer();
        if (host is null || !File.Exists(host) || muxer is null)
        {
            failure = host is null || !File.Exists(host) ? $"{HostAssemblyName} is not beside the Orchestrator" : "the dotnet host was not found";
            return null;
        }

        string fifos = Directory.CreateTempSubdirectory("orch-sandbox-").FullName;
        var wrapper = BubblewrapCommand.Arguments(launch.BubblewrapPath, launch.Settings, workspaceRoot, workspaceRoot, launch.ProtectedPaths,
            [fifos, hostDirectory!, Path.GetDirectoryName(muxer)!]);
        var environment = EnvironmentBuilder.Compose(null);
        var argv = ImmutableArray.CreateRange([.. wrapper, muxer, "exec", host]);
        var processLaunch = new ProcessLaunch(launch.BubblewrapPath, argv, workspaceRoot, EnvironmentBuilder.ToEntries(environment));

        int* toHost = stackalloc int[2];
        int* fromHost = stackalloc int[2];
        if (LibC.pipe2(toHost, LibC.O_CLOEXEC) != 0 || LibC.pipe2(fromHost, LibC.O_CLOEXEC) != 0)
        {
            failure = "pipes for the sandbox host could not be created";
            return null;
        }

        for (int i = 0; i < 2; i++)
        {
            toHost[i] = LibC.EnsureAboveStdio(toHost[i]);
            fromHost[i] = LibC.EnsureAboveStdio(fromHost[i]);
        }

        int log = OpenLog(Path.Combine(fifos, "host.log"));
        int pid = PosixSpawner.Spawn(processLaunch, SpawnStdio.Pipes(toHost[0], fromHost[1], log), newSession: false, out int error);
        LibC.close(toHost[0]);
        LibC.close(fromHost[1]);
        LibC.close(log);
        if (pid <= 0)
        {
            LibC.close(toHost[1]);
            LibC.close(fromHost[0]);
            failure = $"bwrap could not be started: {Marshal.GetPInvokeErrorMessage(error)}";
            return null;
        }

        var session = new SandboxSession(pid, toHost[1], fromHost[0], fifos);
        var ping = session.Request(w => w.WriteString("op", "ping"), exit: null);
        if (!ping.Wait(TimeSpan.FromSeconds(30)) || ping.Result.Errno != 0 || ping.Result.Error is not null)
        {
            string log2 = ReadLog(Path.Combine(fifos, "host.log"));
            failure = $"the sandbox host did not start: {(ping.IsCompleted ? ping.Result.Error : "no answer in 30 s")} {log2}".Trim();
            session.Dispose();
            return null;
        }

        return session;
    }

    /// <summary>Asks the host to start a command writing to the two FIFOs; completes with its pid or the error.</summary>
    public Task<SessionSpawn> SpawnAsync(ProcessLaunch launch, string stdoutFifo, string stderrFifo, SessionExitSource exit) =>
        Request(w =>
        {
            w.WriteString("path", launch.ExecutablePath);
            w.WriteStartArray("argv");
            foreach (string arg in launch.Argv)
            {
                w.WriteStringValue(arg);
            }

            w.WriteEndArray();
            w.WriteString("cwd", launch.WorkingDirectory);
            w.WriteStartArray("env");
            foreach (string entry in launch.Environment)
            {
                w.WriteStringValue(entry);
            }

            w.WriteEndArray();
            w.WriteString("stdout", stdoutFifo);
            w.WriteString("stderr", stderrFifo);
        }, exit);

    public void Dispose()
    {
        lock (_gate)
        {
            _dead = true;
            LibC.CloseIfOpen(ref _stdin); // the host ends when its stdin closes; bwrap follows
        }

        try
        {
            Directory.Delete(_fifoDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private Task<SessionSpawn> Request(Action<Utf8JsonWriter> body, SessionExitSource? exit)
    {
        var started = new TaskCompletionSource<SessionSpawn>(TaskCreationOptions.RunContinuationsAsynchronously);
        var buffer = new ArrayBufferWriter<byte>(1024);
        lock (_gate)
        {
            if (_dead)
            {
                started.SetResult(new SessionSpawn(0, 0, "the sandbox session has ended"));
                return started.Task;
            }

            long id = ++_nextId;
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteNumber("id", id);
                body(writer);
                writer.WriteEndObject();
            }

            buffer.Write("\n"u8);
            _pending[id] = new Pending(started, exit);
            if (!WriteAll(buffer.WrittenSpan))
            {
                _pending.Remove(id);
                MarkDead();
                started.TrySetResult(new SessionSpawn(0, 0, "the sandbox session has ended"));
            }
        }

        return started.Task;
    }

    private bool WriteAll(ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            int written = 0;
            while (written < data.Length)
            {
                nint n = LibC.write(_stdin, p + written, data.Length - written);
                if (n < 0)
                {
                    if (Marshal.GetLastPInvokeError() == LibC.EINTR)
                    {
                        continue;
                    }

                    return false;
                }

                written += (int)n;
            }
        }

        return true;
    }

    private void ReadResponses()
    {
        var line = new List<byte>(256);
        byte[] buffer = new byte[16 * 1024];
        fixed (byte* p = buffer)
        {
            while (true)
            {
                nint n = LibC.read(_stdout, p, buffer.Length);
                if (n < 0 && Marshal.GetLastPInvokeError() == LibC.EINTR)
                {
                    continue;
                }

                if (n <= 0)
                {
                    break;
                }

                for (int i = 0; i < n; i++)
                {
                    if (buffer[i] == (byte)'\n')
                    {
                        Dispatch(line.ToArray());
                        line.Clear();
                    }
                    else
                    {
                        line.Add(buffer[i]);
                    }
                }
            }
        }

        LibC.CloseIfOpen(ref _stdout);
        lock (_gate)
        {
            MarkDead();
        }
    }

    private void Dispatch(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        long id = root.GetProperty("id").GetInt64();
        Pending pending;
        lock (_gate)
        {
            if (!_pending.TryGetValue(id, out pending!))
            {
                return;
            }
        }

        if (root.TryGetProperty("pid", out var pid))
        {
            pending.Started.TrySetResult(new SessionSpawn(pid.GetInt32(), 0, null));
        }
        else if (root.TryGetProperty("pong", out _))
        {
            Remove(id);
            pending.Started.TrySetResult(new SessionSpawn(0, 0, null));
        }
        else if (root.TryGetProperty("errno", out var errno))
        {
            Remove(id);
            pending.Started.TrySetResult(new SessionSpawn(0, errno.GetInt32(), root.TryGetProperty("error", out var e) ? e.GetString() : "spawn failed"));
        }
        else if (root.TryGetProperty("exit", out var code))
        {
            Remove(id);
            pending.Exit?.Complete(code.GetInt32(), null);
        }
        else if (root.TryGetProperty("signal", out var signal))
        {
            Remove(id);
            pending.Exit?.Complete(128 + signal.GetInt32(), signal.GetInt32());
        }
    }

    private void Remove(long id)
    {
        lock (_gate)
        {
            _pending.Remove(id);
        }
    }

    /// <summary>Under the gate: the host is gone; every waiter learns it.</summary>
    private void MarkDead()
    {
        _dead = true;
        foreach (var pending in _pending.Values)
        {
            pending.Started.TrySetResult(new SessionSpawn(0, 0, "the sandbox session has ended"));
            pending.Exit?.Complete(null, null);
        }

        _pending.Clear();
        LibC.CloseIfOpen(ref _stdin);
    }

    private static int OpenLog(string path)
    {
        using var native = new NativeString(path);
        int fd = LibC.open(native.Pointer, LibC.O_WRONLY | LibC.O_CREAT | LibC.O_CLOEXEC, LibC.Mode0644);
        return LibC.EnsureAboveStdio(fd);
    }

    private static string ReadLog(string path)
    {
        try
        {
            string text = File.ReadAllText(path, Encoding.UTF8).Trim();
            return text.Length <= 500 ? text : text[..500];
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    /// <summary>The dotnet executable that runs framework-dependent apps, found the way the SDK's tools are.</summary>
    private static string? DotnetMuxer()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        if (Environment.ProcessPath is string process && Path.GetFileName(process) == "dotnet")
        {
            return process;
        }

        string candidate = Path.GetFullPath(Path.Combine(RuntimeEnvironment(), "..", "..", "..", "dotnet"));
        return File.Exists(candidate) ? candidate : null;
    }

    private static string RuntimeEnvironment() => System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory();

    private sealed record Pending(TaskCompletionSource<SessionSpawn> Started, SessionExitSource? Exit);
}
