using System.Runtime.InteropServices;
using System.Text.Json;
using Orchestrator.Core.Json;
using Orchestrator.Core.Native;

namespace Orchestrator.Core.Runs;

/// <summary>
/// Tells a live run from one whose writer died without finishing (kill -9, a lost machine). A run
/// is stale when its manifest still says <c>in_progress</c> and either its writer's process is gone
/// (same host) or its heartbeat is older than <see cref="StaleAfterBeats"/> intervals.
/// </summary>
public static class RunLiveness
{
    /// <summary>Heartbeats a live run can miss before it counts as stale (a busy machine can delay one or two).</summary>
    public const int StaleAfterBeats = 3;

    /// <summary>Reads a manifest and says whether its run is stale.</summary>
    /// <exception cref="OrchestratorException"><see cref="OrchestratorErrorCode.RunNotFound"/> or <see cref="OrchestratorErrorCode.CorruptRunRecord"/>.</exception>
    public static RunLivenessReport Inspect(string manifestPath, DateTimeOffset? now = null) =>
        Inspect(ReadManifest(manifestPath), now);

    public static RunLivenessReport Inspect(RunManifest manifest, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var at = now ?? DateTimeOffset.UtcNow;
        var age = at - manifest.HeartbeatAt;
        if (manifest.Status is not (RunStatus.InProgress or RunStatus.Queued))
        {
            return new RunLivenessReport(manifest.Status, false, age, $"the run finished ({WireNames.Of(manifest.Status)})");
        }

        if (string.Equals(manifest.RunnerProcess.Hostname, Environment.MachineName, StringComparison.Ordinal) && !ProcessExists(manifest.RunnerProcess.Pid))
        {
            return new RunLivenessReport(manifest.Status, true, age, $"its runner process {manifest.RunnerProcess.Pid} is gone and the run never finished");
        }

        if (manifest.HeartbeatIntervalMs > 0 && age > TimeSpan.FromMilliseconds(manifest.HeartbeatIntervalMs * StaleAfterBeats))
        {
            return new RunLivenessReport(manifest.Status, true, age, $"no heartbeat for {age.TotalSeconds:0} s (every {manifest.HeartbeatIntervalMs / 1000.0:0.#} s expected)");
        }

        return new RunLivenessReport(manifest.Status, false, age, $"in progress, last heartbeat {Math.Max(0, age.TotalSeconds):0} s ago");
    }

    /// <summary>Reads a manifest back.</summary>
    /// <exception cref="OrchestratorException"><see cref="OrchestratorErrorCode.RunNotFound"/> when the file is missing, <see cref="OrchestratorErrorCode.CorruptRunRecord"/> when it is not a manifest.</exception>
    public static RunManifest ReadManifest(string manifestPath)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(manifestPath);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new OrchestratorException(OrchestratorErrorCode.RunNotFound, $"There is no manifest at '{manifestPath}'.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OrchestratorException(OrchestratorErrorCode.CorruptRunRecord, $"The manifest '{manifestPath}' cannot be read: {ex.Message}", ex);
        }

        try
        {
            return JsonSerializer.Deserialize(bytes, JsonDefaults.Manifest.RunManifest)
                ?? throw new JsonException("the file holds null");
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException or FormatException or InvalidOperationException)
        {
            throw new OrchestratorException(OrchestratorErrorCode.CorruptRunRecord,
                $"The manifest '{manifestPath}' is corrupted and cannot be used: {ex.Message}", ex);
        }
    }

    private static bool ProcessExists(int pid)
    {
        if (pid <= 0)
        {
            return false;
        }

        if (LibC.kill(pid, 0) == 0)
        {
            return true;
        }

        return Marshal.GetLastPInvokeError() != LibC.ESRCH; // EPERM: it exists, owned by someone else
    }
}
