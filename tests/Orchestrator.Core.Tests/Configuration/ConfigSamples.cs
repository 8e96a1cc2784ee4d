namespace Orchestrator.Core.Tests.Configuration;

internal static class ConfigSamples
{
    /// <summary>Every key set, as in the configuration guide.</summary>
    public const string Full = """
        taskId: my-task
        runsRoot: .runs
        approvalPolicy: on-failure
        sandbox:
          mode: workspace-write
          network: false
          writableRoots: [/var/cache/build, ~/.nuget/packages]
          protectGit: true
        retries:
          maxAttempts: 3
          initialDelayMs: 250
          maxDelayMs: 10000
          transientExitCodes: [75, 111]
          transientOutputPatterns: ["Connection reset by peer", "TLS handshake timeout"]
        approvals:
          rules:
            - prefix: [dotnet, restore]
              action: escalate
              scope: persistent
              reason: "restore needs the NuGet cache and network"
          safeCommands: [make -n, terraform plan]
          cacheFile: .runs/approvals.jsonl
        secrets:
          env: [MY_DEPLOY_CREDENTIAL]
          patterns: ["ghp_[A-Za-z0-9]{36}"]
        output:
          eventBudgetBytes: 1048576
          captureBytes: 65536

        """;
}
