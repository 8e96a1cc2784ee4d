using System.Collections.Immutable;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Orchestration.Approvals;
using Orchestrator.Core.Orchestration.Sandbox;
using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Tests.Support;

/// <summary>Options for runs that exercise the real sandbox and approvals in a temp workspace.</summary>
public static class Sandboxes
{
    public static void RequireBubblewrap()
    {
        var availability = BubblewrapProbe.Probe(null, Environment.GetEnvironmentVariable);
        Assert.IsTrue(availability.IsAvailable, "these tests need a working bubblewrap (apt-get install -y bubblewrap): " + availability.Detail);
    }

    public static RunOptions Options(
        TempDirectory dir,
        ApprovalPolicy policy = ApprovalPolicy.OnFailure,
        SandboxMode mode = SandboxMode.WorkspaceWrite,
        bool network = false,
        IEnumerable<PreApproval>? preApprovals = null,
        IApprovalPrompter? prompter = null,
        string? bubblewrapPath = null,
        IEnumerable<string>? writableRoots = null,
        RetryPolicy? retry = null)
    {
        string workspace = dir.Combine("ws");
        Directory.CreateDirectory(workspace);
        return new RunOptions
        {
            RunsRoot = dir.Combine("runs"),
            TaskId = "sandbox-tests",
            WorkingDirectory = workspace,
            Approvals = new ApprovalSettings(policy, [.. preApprovals ?? []], [], dir.Combine("runs", "approvals.jsonl"), prompter),
            Sandbox = new SandboxSettings(mode, network, [.. writableRoots ?? []], ProtectGit: true, BubblewrapPath: bubblewrapPath),
            Retry = retry ?? RetryPolicy.Default,
            KillGracePeriod = TimeSpan.FromMilliseconds(300),
        };
    }

    public static ImmutableArray<string> Tokens(params string[] tokens) => [.. tokens];

    /// <summary>
    /// A directory outside /tmp: inside the sandbox /tmp is a private tmpfs, so "outside the
    /// workspace" must be somewhere the sandbox sees read-only (here /var/tmp).
    /// </summary>
    public static TempDirectory OutsideTmp() => new(Path.Combine("/var/tmp", "orch-outside"));
}
