using System.Text.Json;
using Orchestrator.Core.Notifications;
using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Tests.Notifications;

[TestClass]
public sealed class NotificationsRecordTests
{
    private static readonly JsonSerializerOptions CamelCase = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    [TestMethod]
    public void TheRecordHoldsTheSourceTheRedactedTargetsAndTheDeliveries()
    {
        var resolution = NotificationSettings.Resolve(
            ["https://ci:hunter2@hooks.example.com/x?sig=abc", "command:notify-send done"], "cli", _ => null, []);
        var report = new NotificationReport
        {
            Source = "cli",
            Deliveries =
            [
                new NotificationDelivery { Target = resolution.Targets[0].Redacted, Kind = "webhook", Delivered = true, Attempts = 1, DurationMs = 12 },
                new NotificationDelivery
                {
                    Target = resolution.Targets[1].Redacted, Kind = "command", Delivered = false, Attempts = 0, DurationMs = 1,
                    Failure = "program not found: notify-send",
                },
            ],
        };

        var pending = NotificationsRecord.Pending(resolution);
        var record = NotificationsRecord.From(resolution, report);

        Assert.IsEmpty(pending.Deliveries);
        Assert.AreEqual("cli", record.Source);
        CollectionAssert.AreEqual(new[] { "https://***@hooks.example.com/x?sig=***", "command:notify-send done" }, record.Targets.ToArray());
        Assert.HasCount(2, record.Deliveries);

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(record, CamelCase));
        var root = json.RootElement;
        CollectionAssert.AreEqual(new[] { "source", "targets", "deliveries" }, root.EnumerateObject().Select(p => p.Name).ToArray());
        var failed = root.GetProperty("deliveries")[1];
        CollectionAssert.AreEqual(
            new[] { "target", "kind", "delivered", "attempts", "durationMs", "failure", "stdout", "stderr" },
            failed.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.AreEqual("program not found: notify-send", failed.GetProperty("failure").GetString());
        Assert.DoesNotContain("hunter2", json.RootElement.GetRawText());
    }

    [TestMethod]
    public void NoTargetsIsRecordedAsSourceNone()
    {
        var record = NotificationsRecord.From(NotificationResolution.None, NotificationReport.None);

        Assert.AreEqual("none", record.Source);
        Assert.IsEmpty(record.Targets);
        Assert.IsEmpty(record.Deliveries);
    }
}
