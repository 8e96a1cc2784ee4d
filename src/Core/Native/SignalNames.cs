namespace Orchestrator.Core.Native;

/// <summary>Linux signal numbers as the names a build engineer reads in logs (x86_64/aarch64 numbering).</summary>
internal static class SignalNames
{
    private static readonly string[] Names =
    [
        "", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL",
        "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
        "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF",
        "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    ];

    public static string ToName(int signal) =>
        signal > 0 && signal < Names.Length ? Names[signal] : $"SIG{signal}";

    /// <summary>The number of a signal name (<c>SIGKILL</c> is 9); 0 for a name it does not know.</summary>
    public static int ToNumber(string name)
    {
        int index = Array.IndexOf(Names, name);
        if (index > 0)
        {
            return index;
        }

        return name.StartsWith("SIG", StringComparison.Ordinal) && int.TryParse(name.AsSpan(3), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int number) ? number : 0;
    }
}
