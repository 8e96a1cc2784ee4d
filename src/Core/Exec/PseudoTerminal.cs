using System.Runtime.InteropServices;
using System.Text;
using Orchestrator.Core.Native;

namespace Orchestrator.Core.Exec;

/// <summary>
/// A pseudo-terminal pair opened with posix_openpt/grantpt/unlockpt/ptsname_r (no native helper
/// library): we keep the master; a child started with POSIX_SPAWN_SETSID opens the slave by path
/// onto fd 0 and so gets it as its controlling terminal (see <see cref="PosixSpawner"/>). Linux
/// only; elsewhere <see cref="Open"/> says so plainly.
/// </summary>
public sealed class PseudoTerminal : IDisposable
{
    private int _master;

    private PseudoTerminal(int master, string slavePath)
    {
        _master = master;
        SlavePath = slavePath;
    }

    /// <summary>The master descriptor (we read the terminal's output from it and write its input to it).</summary>
    public int MasterFd => _master;

    /// <summary>/dev/pts/N: the child opens it as its controlling terminal.</summary>
    public string SlavePath { get; }

    public static bool IsSupported => OperatingSystem.IsLinux();

    public static unsafe PseudoTerminal Open(TerminalSize size)
    {
        // (Linux x86_64/aarch64 share the winsize and ioctl numbers used here.)
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException($"PTY not supported on {RuntimeInformation.OSDescription}; run the command with pipes instead.");
        }

        size.Validate();
        int master = LibC.posix_openpt(LibC.O_RDWR | LibC.O_NOCTTY | LibC.O_CLOEXEC);
        if (master < 0)
        {
            throw Error("posix_openpt");
        }

        master = LibC.EnsureAboveStdio(master);
        byte* name = stackalloc byte[128];
        if (LibC.grantpt(master) != 0 || LibC.unlockpt(master) != 0)
        {
            var error = Error("grantpt/unlockpt");
            LibC.close(master);
            throw error;
        }

        int result = LibC.ptsname_r(master, name, 128);
        if (result != 0)
        {
            LibC.close(master);
            throw new IOException($"ptsname_r failed: {Marshal.GetPInvokeErrorMessage(result)}");
        }

        string slave = Marshal.PtrToStringUTF8((nint)name)!;
        var terminal = new PseudoTerminal(master, slave);
        terminal.Resize(size);
        int flags = LibC.fcntl(master, LibC.F_GETFL, 0);
        LibC.fcntl(master, LibC.F_SETFL, flags | LibC.O_NONBLOCK);
        return terminal;
    }

    /// <summary>Sets the window size; the kernel sends SIGWINCH to the terminal's foreground process group.</summary>
    public unsafe void Resize(TerminalSize size)
    {
        size.Validate();
        var window = new LibC.WinSize { Columns = (ushort)size.Columns, Rows = (ushort)size.Rows };
        if (LibC.ioctl(_master, LibC.TIOCSWINSZ, &window) != 0)
        {
            throw Error("TIOCSWINSZ");
        }
    }

    /// <summary>The terminal's modes (termios) as an opaque snapshot, to restore after a program left them changed.</summary>
    public unsafe byte[] SaveModes()
    {
        byte[] modes = new byte[LibC.TermiosSize];
        fixed (byte* p = modes)
        {
            if (LibC.tcgetattr(_master, p) != 0)
            {
                throw Error("tcgetattr");
            }
        }

        return modes;
    }

    public unsafe void RestoreModes(byte[] modes)
    {
        fixed (byte* p = modes)
        {
            if (LibC.tcsetattr(_master, LibC.TCSANOW, p) != 0)
            {
                throw Error("tcsetattr");
            }
        }
    }

    /// <summary>
    /// Writes input as if typed. The master is non-blocking: when the terminal's input buffer is
    /// full (nobody reads), the rest waits until it drains or the token ends the wait.
    /// </summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        int written = 0;
        while (written < input.Length)
        {
            var (n, errno) = WriteSome(input.Span[written..]);
            if (n > 0)
            {
                written += n;
                continue;
            }

            if (errno is not (LibC.EAGAIN or LibC.EINTR))
            {
                throw new IOException($"Writing to the terminal failed: {Marshal.GetPInvokeErrorMessage(errno)}");
            }

            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
    }

    private unsafe (int Written, int Errno) WriteSome(ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            nint n = LibC.write(_master, p, data.Length);
            return n >= 0 ? ((int)n, 0) : (0, Marshal.GetLastPInvokeError());
        }
    }

    public Task WriteAsync(string text, CancellationToken cancellationToken) => WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);

    /// <summary>Gives the master descriptor away (to an I/O loop that closes it when done).</summary>
    internal int DetachMaster()
    {
        int fd = _master;
        _master = -1;
        return fd;
    }

    public void Dispose() => LibC.CloseIfOpen(ref _master);

    private static IOException Error(string call)
    {
        int errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
    }
}
