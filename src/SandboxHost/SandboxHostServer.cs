using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Native;

namespace Orchestrator.SandboxHost;

/// <summary>
/// Reads spawn requests as JSON lines on stdin and answers on stdout: <c>{"id":n,"pid":p}</c> once
/// started (or <c>{"id":n,"errno":e,"error":"..."}</c>), then <c>{"id":n,"exit":c}</c> or
/// <c>{"id":n,"signal":s}</c> when it ends. Each command gets its own process group, /dev/null as
/// stdin and the two FIFOs named in the request as stdout and stderr; the orchestrator outside reads
/// those and ends the group itself on timeout or cancellation. Stdin closing ends the host.
/// </summary>
internal sealed unsafe class SandboxHostServer(Stream input, Stream output)
{
    private readonly object _gate = new();
    private readonly Dictionary<int, long> _running = [];
    private readonly Dictionary<int, int> _exitedEarly = [];

    public int Run()
    {
        var waiter = new Thread(ReapLoop) { IsBackground = true, Name = "sandbox-host-reaper" };
        waiter.Start();
        using var reader = new StreamReader(input);
        while (reader.ReadLine() is string line)
        {
            if (line.Length > 0)
            {
                Handle(line);
            }
        }

        return 0;
    }

    private void Handle(string line)
    {
        long id = -1;
        try
        {
            using var request = JsonDocument.Parse(line);
            var root = request.RootElement;
            id = root.GetProperty("id").GetInt64();
            if (root.TryGetProperty("op", out var op) && op.GetString() == "ping")
            {
                Send(id, w => w.WriteBoolean("pong", true));
                return;
            }

            var launch = new ProcessLaunch(
                root.GetProperty("path").GetString()!,
                [.. root.GetProperty("argv").EnumerateArray().Select(a => a.GetString()!)],
                root.GetProperty("cwd").GetString()!,
                [.. root.GetProperty("env").EnumerateArray().Select(e => e.GetString()!)]);
            int stdout = OpenFifo(root.GetProperty("stdout").GetString()!);
            int stderr = OpenFifo(root.GetProperty("stderr").GetString()!);
            try
            {
                lock (_gate)
                {
                    int pid = PosixSpawner.Spawn(launch, SpawnStdio.Pipes(-1, stdout, stderr), newSession: false, out int error);
                    if (pid <= 0)
                    {
                        Send(id, w => { w.WriteNumber("errno", error); w.WriteString("error", Marshal.GetPInvokeErrorMessage(error)); });
                        return;
                    }

                    Send(id, w => w.WriteNumber("pid", pid));
                    if (_exitedEarly.Remove(pid, out int status))
                    {
                        SendExit(id, status);
                    }
                    else
                    {
                        _running[pid] = id;
                    }

                    Monitor.PulseAll(_gate);
                }
            }
            finally
            {
                LibC.close(stdout);
                LibC.close(stderr);
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or IOException)
        {
            Send(id, w => { w.WriteNumber("errno", 0); w.WriteString("error", ex.Message); });
        }
    }

    private static int OpenFifo(string path)
    {
        using var native = new NativeString(path);
        int fd = LibC.open(native.Pointer, LibC.O_WRONLY | LibC.O_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new IOException($"cannot open {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        return LibC.EnsureAboveStdio(fd);
    }

    /// <summary>Reaps every child and reports its status to the request that started it.</summary>
    private void ReapLoop()
    {
        while (true)
        {
            int status;
            int pid = LibC.waitpid(-1, &status, 0);
            if (pid < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == LibC.ECHILD)
                {
                    lock (_gate)
                    {
                        // Nothing to reap until the next spawn.
                        Monitor.Wait(_gate, TimeSpan.FromMilliseconds(200));
                    }
                }

                continue;
            }

            lock (_gate)
            {
                if (_running.Remove(pid, out long id))
                {
                    SendExit(id, status);
                }
                else
                {
                    _exitedEarly[pid] = status; // the spawn reply has not been recorded yet
                }
            }
        }
    }

    private void SendExit(long id, int status)
    {
        if (LibC.WIfSignaled(status))
        {
            Send(id, w => w.WriteNumber("signal", LibC.WTermSig(status)));
        }
        else
        {
            Send(id, w => w.WriteNumber("exit", LibC.WExitStatus(status)));
        }
    }

    private void Send(long id, Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", id);
            body(writer);
            writer.WriteEndObject();
        }

        buffer.Write("\n"u8);
        lock (output)
        {
            output.Write(buffer.WrittenSpan);
            output.Flush();
        }
    }
}
