using System.Text;
using Orchestrator.Core.Notifications;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Notifications;

[TestClass]
public sealed class CommandDeliveryTests
{
    private static async Task<NotificationDelivery> DeliverAsync(string target, NotificationOptions? options = null)
    {
        var report = await NotificationDispatcher.DeliverAsync(
            [NotificationTarget.Parse(target, "test")],
            NotificationSource.MSBuild,
            NotificationSamples.Summary,
            options ?? NotificationOptions.Default,
            CancellationToken.None);
        Assert.AreEqual("msbuild", report.Source);
        return Assert.ContainsSingle(report.Deliveries);
    }

    private static string WriteScript(TempDirectory temp, string name, string body)
    {
        string path = temp.Combine(name);
        File.WriteAllText(path, "#!/bin/sh\n" + body);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [TestMethod]
    public async Task TheJsonArrivesIntactAsTheLastArgument()
    {
        using var temp = new TempDirectory("orch-notify");
        string script = WriteScript(temp, "record-args.sh", """
            out="$1"
            printf '%s\0' "$@" > "$out"
            echo "recorded $#"
            """);
        string output = temp.Combine("with space", "args.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);

        var delivery = await DeliverAsync($"command:{script} '{output}' \"two words\"");

        Assert.IsTrue(delivery.Delivered, delivery.Failure);
        Assert.AreEqual("command", delivery.Kind);
        Assert.AreEqual(1, delivery.Attempts);
        Assert.AreEqual("recorded 3\n", delivery.Stdout);
        Assert.IsNull(delivery.Stderr);
        string[] argv = Encoding.UTF8.GetString(File.ReadAllBytes(output)).Split('\0')[..^1];
        CollectionAssert.AreEqual(new[] { output, "two words", NotificationSamples.SummaryLine }, argv);
    }

    [TestMethod]
    public async Task StdinIsDevNull()
    {
        var delivery = await DeliverAsync("command:/bin/sh -c 'if read line; then echo \"read: $line\"; else echo eof; fi'");

        Assert.IsTrue(delivery.Delivered, delivery.Failure);
        Assert.AreEqual("eof\n", delivery.Stdout);
    }

    [TestMethod]
    public async Task AMissingProgramIsReportedByName()
    {
        var delivery = await DeliverAsync("command:orch-test-no-such-notifier --urgency low");

        Assert.IsFalse(delivery.Delivered);
        Assert.AreEqual(0, delivery.Attempts);
        Assert.AreEqual("program not found: orch-test-no-such-notifier", delivery.Failure);
    }

    [TestMethod]
    public async Task AFailingProgramIsReportedWithItsExitCodeAndStderrLine()
    {
        var delivery = await DeliverAsync("command:/bin/sh -c 'echo sending; echo \"\" >&2; echo \"notify: channel #builds not found\" >&2; echo more >&2; exit 1'");

        Assert.IsFalse(delivery.Delivered);
        Assert.AreEqual(1, delivery.Attempts);
        Assert.AreEqual("exit code 1: notify: channel #builds not found", delivery.Failure);
        Assert.AreEqual("sending\n", delivery.Stdout);
        Assert.AreEqual("\nnotify: channel #builds not found\nmore\n", delivery.Stderr);
    }

    [TestMethod]
    public async Task OnlyTheFirstBytesOfOutputAreKept()
    {
        var delivery = await DeliverAsync("command:/bin/sh -c 'head -c 100000 /dev/zero | tr \"\\0\" x'", new NotificationOptions { OutputCaptureBytes = 4096 });

        Assert.IsTrue(delivery.Delivered, delivery.Failure);
        Assert.AreEqual(new string('x', 4096), delivery.Stdout);
    }

    [TestMethod]
    public async Task AHangingProgramIsStoppedAfterTheTimeout()
    {
        var options = new NotificationOptions { CommandTimeout = TimeSpan.FromMilliseconds(300), CommandKillGracePeriod = TimeSpan.FromSeconds(1) };

        var delivery = await DeliverAsync("command:/bin/sh -c 'sleep 60'", options);

        Assert.IsFalse(delivery.Delivered);
        Assert.AreEqual("timed out after 300 ms (stopped with SIGTERM)", delivery.Failure);
    }

    [TestMethod]
    public async Task AProgramIgnoringSigtermIsKilled()
    {
        // An ignored signal stays ignored across exec, so sleep ignores SIGTERM too.
        var options = new NotificationOptions { CommandTimeout = TimeSpan.FromSeconds(1), CommandKillGracePeriod = TimeSpan.FromMilliseconds(300) };

        var delivery = await DeliverAsync("command:/bin/sh -c 'trap \"\" TERM; sleep 60; echo survived'", options);

        Assert.IsFalse(delivery.Delivered);
        Assert.AreEqual("timed out after 1 s (killed with SIGKILL: still running 300 ms after SIGTERM)", delivery.Failure);
        Assert.IsNull(delivery.Stdout);
    }

    [TestMethod]
    public async Task ARelativeProgramIsFoundInTheWorkingDirectory()
    {
        using var temp = new TempDirectory("orch-notify");
        WriteScript(temp, "notify.sh", "echo \"from $(pwd)\"\n");

        var delivery = await DeliverAsync("command:./notify.sh", new NotificationOptions { WorkingDirectory = temp.Path });

        Assert.IsTrue(delivery.Delivered, delivery.Failure);
        Assert.AreEqual($"from {temp.Path}\n", delivery.Stdout);
    }

    [TestMethod]
    public async Task TargetsAreDeliveredConcurrently()
    {
        // Each program waits for the other's marker: delivered one after the other, the first would give up.
        using var temp = new TempDirectory("orch-notify");
        string script = WriteScript(temp, "meet.sh", """
            touch "$1"
            i=0
            while [ ! -e "$2" ]; do
              i=$((i + 1))
              if [ "$i" -gt 200 ]; then echo "never met $2" >&2; exit 1; fi
              sleep 0.05
            done
            """);
        string a = temp.Combine("a"), b = temp.Combine("b");
        var targets = new[] { $"command:{script} {a} {b}", $"command:{script} {b} {a}" }.Select(t => NotificationTarget.Parse(t, "test")).ToList();

        var report = await NotificationDispatcher.DeliverAsync(targets, NotificationSource.Cake, NotificationSamples.Summary, CancellationToken.None);

        Assert.AreEqual("cake", report.Source);
        Assert.IsTrue(report.AllDelivered, string.Join("; ", report.Deliveries.Select(d => d.Failure)));
    }
}
