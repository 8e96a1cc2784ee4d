namespace Orchestrator.Core.Runs;

/// <summary>
/// The process that writes the manifest. With <c>heartbeatAt</c> it lets a reader tell a live run
/// from one whose writer died (kill -9): same host, pid gone or heartbeat old.
/// </summary>
public sealed record RunnerProcessInfo(int Pid, string Hostname);
