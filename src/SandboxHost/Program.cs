using Orchestrator.SandboxHost;

// The process a sandbox session runs inside bubblewrap: it starts commands on request so a run's
// commands share one sandbox instead of paying for a new one each (see SandboxSession in Core).
return new SandboxHostServer(Console.OpenStandardInput(), Console.OpenStandardOutput()).Run();
