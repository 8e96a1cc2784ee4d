using System.Text.RegularExpressions;

namespace Orchestrator.Core.Orchestration.Sandbox;

/// <summary>
/// Tells a sandbox denial from an ordinary failure by what the command printed: the errno texts a
/// refused write produces (EROFS "Read-only file system", EACCES "Permission denied", EPERM
/// "Operation not permitted"), and, when the network is off, failed name resolution or connects.
/// Only a failed sandboxed attempt is examined; an ordinary failure that prints the same words is
/// retried unsandboxed only when the policy and an approval allow it, so a false positive costs a
/// second attempt, never more access than the policy grants.
/// </summary>
public static partial class SandboxDenialDetector
{
    public static SandboxDenial? Detect(int? exitCode, string stdout, string stderr, bool networkDisabled)
    {
        if (exitCode is 0 or null)
        {
            return null;
        }

        // stderr first: that is where programs report errno failures.
        foreach (string text in (ReadOnlySpan<string>)[stderr, stdout])
        {
            if (FindLine(FileSystemDenied(), text) is string fs)
            {
                return new SandboxDenial(SandboxDenialKind.FileSystem, fs);
            }

            if (networkDisabled && FindLine(NetworkDenied(), text) is string net)
            {
                return new SandboxDenial(SandboxDenialKind.Network, net);
            }
        }

        return null;
    }

    private static string? FindLine(Regex pattern, string text)
    {
        var match = pattern.Match(text);
        if (!match.Success)
        {
            return null;
        }

        int start = text.LastIndexOf('\n', Math.Max(0, match.Index - 1)) + 1;
        int end = text.IndexOf('\n', match.Index);
        string line = (end < 0 ? text[start..] : text[start..end]).Trim();
        return line.Length <= 300 ? line : line[..300] + "...";
    }

    [GeneratedRegex(@"Read-only file system|\bEROFS\b|Permission denied|\bEACCES\b|Operation not permitted|\bEPERM\b", RegexOptions.CultureInvariant)]
    private static partial Regex FileSystemDenied();

    [GeneratedRegex(
        @"Temporary failure in name resolution|Could not resolve host|Name or service not known|No address associated with hostname|" +
        @"getaddrinfo|Network is unreachable|\bENETUNREACH\b|\bEAI_AGAIN\b|Could not resolve|Resource temporarily unavailable \(.*:\d+\)|Name resolution failed",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex NetworkDenied();
}
