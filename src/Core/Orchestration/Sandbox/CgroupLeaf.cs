using System.Globalization;

namespace Orchestrator.Core.Orchestration.Sandbox;

/// <summary>
/// One cgroup a sandboxed command runs in: its limit files, its event counters, its removal. A
/// leaf is reused by later commands once empty, so each use starts from a baseline of the
/// kernel's counters (they only grow) instead of paying for mkdir, limit writes and rmdir.
/// </summary>
internal sealed class CgroupLeaf(string path, bool unified, bool pids, bool memory)
{
    private long _pidsBaseline;
    private long _oomBaseline;

    public string Path { get; } = path;

    /// <summary>The file that moves a process into this cgroup.</summary>
    public string ProcsFile => System.IO.Path.Combine(Path, "cgroup.procs");

    /// <summary>Writes the limits; false when the cgroup refuses them (the caller falls back).</summary>
    public bool Apply(SandboxLimits limits)
    {
        try
        {
            if (pids && limits.MaxProcesses > 0)
            {
                Write("pids.max", limits.MaxProcesses.ToString(CultureInfo.InvariantCulture));
            }

            if (memory && limits.MaxMemoryBytes > 0)
            {
                string bytes = limits.MaxMemoryBytes.ToString(CultureInfo.InvariantCulture);
                Write(unified ? "memory.max" : "memory.limit_in_bytes", bytes);
                if (unified)
                {
                    // Without swap limited too, a hog would page out the machine instead of being stopped.
                    TryWrite("memory.swap.max", "0");
                }
                else
                {
                    TryWrite("memory.memsw.limit_in_bytes", bytes);
                }
            }

            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>True when no process is in it (a reused leaf must not count a straggler against the next command).</summary>
    public bool IsEmpty => Read("cgroup.procs") is string procs && procs.Trim().Length == 0;

    /// <summary>Starts a use: what the counters say now is what <see cref="Exceeded"/> compares with.</summary>
    public void StartUse()
    {
        _pidsBaseline = pids ? Counter(Read("pids.events"), "max") : 0;
        _oomBaseline = memory ? Counter(Read(unified ? "memory.events" : "memory.oom_control"), "oom_kill") : 0;
    }

    /// <summary>The kernel's counters: a refused fork at pids.max, or an OOM kill at the memory limit.</summary>
    public string? Exceeded()
    {
        if (pids && Counter(Read("pids.events"), "max") > _pidsBaseline)
        {
            return $"the process limit ({Read("pids.max")?.Trim()} processes and threads) was reached";
        }

        if (memory && Counter(Read(unified ? "memory.events" : "memory.oom_control"), "oom_kill") > _oomBaseline)
        {
            return $"the memory limit ({Read(unified ? "memory.max" : "memory.limit_in_bytes")?.Trim()} bytes) was reached and a process was killed";
        }

        return null;
    }

    /// <summary>Removes the cgroup; its processes are gone once the sandbox's PID namespace ended, but reaping can lag.</summary>
    public void Remove()
    {
        for (int i = 0; i < 200; i++)
        {
            try
            {
                Directory.Delete(Path);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (IOException)
            {
                Thread.Sleep(10);
            }
            catch (UnauthorizedAccessException)
            {
                return;
            }
        }
    }

    private static long Counter(string? text, string name)
    {
        foreach (string line in (text ?? string.Empty).Split('\n'))
        {
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && parts[0] == name && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long value))
            {
                return value;
            }
        }

        return 0;
    }

    private void Write(string file, string value) => File.WriteAllText(System.IO.Path.Combine(Path, file), value);

    private void TryWrite(string file, string value)
    {
        try
        {
            Write(file, value);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Optional knob (swap accounting may be off): the main limit still holds.
        }
    }

    private string? Read(string file)
    {
        try
        {
            return File.ReadAllText(System.IO.Path.Combine(Path, file));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
