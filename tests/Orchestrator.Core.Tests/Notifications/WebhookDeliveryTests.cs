using System.Text;
using System.Text.Json;
using Orchestrator.Core.Notifications;

namespace Orchestrator.Core.Tests.Notifications;

[TestClass]
public sealed class WebhookDeliveryTests
{
    private static async Task<NotificationDelivery> DeliverAsync(string target, NotificationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var report = await NotificationDispatcher.DeliverAsync(
            [NotificationTarget.Parse(target, "test")],
            NotificationSource.Cli,
            NotificationSamples.Summary,
            options ?? NotificationSamples.FastRetries,
            cancellationToken);
        Assert.AreEqual("cli", report.Source);
        return Assert.ContainsSingle(report.Deliveries);
    }

    [TestMethod]
    public async Task TheSummaryJsonIsPostedAsApplicationJson()
    {
        await using var server = TestHttpServer.Answering((200, "OK"));

        var delivery = await DeliverAsync(server.Url("/hooks/build?channel=ci"));

        Assert.IsTrue(delivery.Delivered, delivery.Failure);
        Assert.AreEqual(1, delivery.Attempts);
        Assert.IsNull(delivery.Failure);
        Assert.AreEqual("webhook", delivery.Kind);
        Assert.AreEqual(server.Url("/hooks/build?channel=ci"), delivery.Target);
        var request = Assert.ContainsSingle(server.Requests);
        Assert.AreEqual("POST", request.Method);
        Assert.AreEqual("/hooks/build?channel=ci", request.Target);
        Assert.AreEqual("application/json", request.Headers["Content-Type"]);
        CollectionAssert.AreEqual(NotificationSamples.Summary.ToArray(), request.Body);
        Assert.AreEqual("run:summary", JsonDocument.Parse(request.Body).RootElement.GetProperty("type").GetString());
        Assert.IsFalse(request.Headers.ContainsKey("Authorization"));
    }

    [TestMethod]
    public async Task AServerErrorIsRetriedAndTheSecondAttemptDelivers()
    {
        await using var server = TestHttpServer.Answering((500, "Internal Server Error"), (200, "OK"));

        var delivery = await DeliverAsync(server.Url());

        Assert.IsTrue(delivery.Delivered, delivery.Failure);
        Assert.AreEqual(2, delivery.Attempts);
        Assert.HasCount(2, server.Requests);
        Assert.IsTrue(server.Requests.All(r => r.Body.AsSpan().SequenceEqual(NotificationSamples.Summary.Span)));
    }

    [TestMethod]
    public async Task TooManyRequestsIsRetried()
    {
        await using var server = TestHttpServer.Answering((429, "Too Many Requests"), (204, "No Content"));

        var delivery = await DeliverAsync(server.Url());

        Assert.IsTrue(delivery.Delivered, delivery.Failure);
        Assert.AreEqual(2, delivery.Attempts);
    }

    [TestMethod]
    public async Task APersistentServerErrorGivesUpAfterThreeAttemptsNamingTheStatus()
    {
        await using var server = TestHttpServer.Answering((500, "Internal Server Error"));

        var delivery = await DeliverAsync(server.Url());

        Assert.IsFalse(delivery.Delivered);
        Assert.AreEqual(3, delivery.Attempts);
        Assert.HasCount(3, server.Requests);
        Assert.AreEqual("HTTP 500 Internal Server Error after 3 attempts", delivery.Failure);
    }

    [TestMethod]
    [DataRow(404, "Not Found")]
    [DataRow(400, "Bad Request")]
    [DataRow(401, "Unauthorized")]
    public async Task AClientErrorIsNotRetried(int status, string reason)
    {
        await using var server = TestHttpServer.Answering((status, reason));

        var delivery = await DeliverAsync(server.Url());

        Assert.IsFalse(delivery.Delivered);
        Assert.AreEqual(1, delivery.Attempts);
        Assert.ContainsSingle(server.Requests);
        Assert.AreEqual($"HTTP {status} {reason}", delivery.Failure);
    }

    [TestMethod]
    public async Task ARedirectIsNotFollowed()
    {
        await using var server = TestHttpServer.Answering((301, "Moved Permanently"));

        var delivery = await DeliverAsync(server.Url());

        Assert.IsFalse(delivery.Delivered);
        Assert.AreEqual(1, delivery.Attempts);
        Assert.AreEqual("HTTP 301 Moved Permanently (redirects are not followed)", delivery.Failure);
    }

    [TestMethod]
    public async Task ARefusedConnectionIsRetriedAndReported()
    {
        int port = TestHttpServer.UnusedPort();

        var delivery = await DeliverAsync($"http://127.0.0.1:{port}/hook");

        Assert.IsFalse(delivery.Delivered);
        Assert.AreEqual(3, delivery.Attempts);
        Assert.AreEqual("connection refused after 3 attempts", delivery.Failure);
    }

    [TestMethod]
    public async Task AServerThatNeverAnswersTimesOut()
    {
        await using var server = TestHttpServer.NeverAnswering();
        var options = new NotificationOptions { WebhookTimeout = TimeSpan.FromMilliseconds(500), WebhookMaxAttempts = 1 };

        var delivery = await DeliverAsync(server.Url(), options);

        Assert.IsFalse(delivery.Delivered);
        Assert.AreEqual(1, delivery.Attempts);
        Assert.AreEqual("timed out after 500 ms", delivery.Failure);
        Assert.ContainsSingle(server.Requests);
    }

    [TestMethod]
    public async Task TimeoutsAreRetriedLikeConnectionErrors()
    {
        await using var server = TestHttpServer.NeverAnswering();
        var options = new NotificationOptions
        {
            WebhookTimeout = TimeSpan.FromMilliseconds(300),
            WebhookMaxAttempts = 2,
            WebhookInitialBackoff = TimeSpan.FromMilliseconds(10),
        };

        var delivery = await DeliverAsync(server.Url(), options);

        Assert.AreEqual(2, delivery.Attempts);
        Assert.AreEqual("timed out after 300 ms (2 attempts)", delivery.Failure);
    }

    [TestMethod]
    public async Task CancellationStopsADeliveryAndIsReportedNotThrown()
    {
        await using var server = TestHttpServer.NeverAnswering();
        using var cts = new CancellationTokenSource();

        var delivering = DeliverAsync(server.Url(), NotificationOptions.Default, cts.Token);
        await server.WaitForRequestAsync();
        await cts.CancelAsync();
        var delivery = await delivering;

        Assert.IsFalse(delivery.Delivered);
        Assert.AreEqual("cancelled", delivery.Failure);
    }

    [TestMethod]
    public async Task CredentialsAreSentAsBasicAuthAndNeverReported()
    {
        await using var server = TestHttpServer.Answering((200, "OK"));
        string url = $"http://alice:s3cr%40t-pass@127.0.0.1:{server.Port}/hook?token=tok-value&channel=builds&X-Amz-Signature=sig-value";

        var report = await NotificationDispatcher.DeliverAsync(
            [NotificationTarget.Parse(url, "test")], NotificationSource.Environment, NotificationSamples.Summary, CancellationToken.None);

        var delivery = Assert.ContainsSingle(report.Deliveries);
        Assert.IsTrue(delivery.Delivered, delivery.Failure);
        Assert.AreEqual($"http://***@127.0.0.1:{server.Port}/hook?token=***&channel=builds&X-Amz-Signature=***", delivery.Target);
        var request = Assert.ContainsSingle(server.Requests);
        Assert.AreEqual("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:s3cr@t-pass")), request.Headers["Authorization"]);
        Assert.AreEqual("/hook?token=tok-value&channel=builds&X-Amz-Signature=sig-value", request.Target);

        string json = JsonSerializer.Serialize(report);
        foreach (string secret in new[] { "alice", "s3cr", "tok-value", "sig-value" })
        {
            Assert.DoesNotContain(secret, json);
        }
    }

    [TestMethod]
    public async Task CredentialsStayOutOfFailures()
    {
        int port = TestHttpServer.UnusedPort();
        string url = $"http://alice:hunter2@127.0.0.1:{port}/hook?api_key=k-value";

        var delivery = await DeliverAsync(url, new NotificationOptions { WebhookMaxAttempts = 1 });

        Assert.IsFalse(delivery.Delivered);
        Assert.AreEqual($"http://***@127.0.0.1:{port}/hook?api_key=***", delivery.Target);
        string json = JsonSerializer.Serialize(delivery);
        Assert.DoesNotContain("hunter2", json);
        Assert.DoesNotContain("alice", json);
        Assert.DoesNotContain("k-value", json);
    }

    [TestMethod]
    public async Task EveryTargetIsReportedInOrderWhateverItsOutcome()
    {
        await using var ok = TestHttpServer.Answering((200, "OK"));
        await using var missing = TestHttpServer.Answering((404, "Not Found"));
        var targets = new[] { missing.Url("/a"), ok.Url("/b"), "command:orch-test-no-such-program" }
            .Select(t => NotificationTarget.Parse(t, "test"))
            .ToList();

        var report = await NotificationDispatcher.DeliverAsync(targets, NotificationSource.Config, NotificationSamples.Summary, NotificationSamples.FastRetries, CancellationToken.None);

        Assert.AreEqual("config", report.Source);
        CollectionAssert.AreEqual(targets.Select(t => t.Redacted).ToList(), report.Deliveries.Select(d => d.Target).ToList());
        CollectionAssert.AreEqual(new[] { false, true, false }, report.Deliveries.Select(d => d.Delivered).ToArray());
        Assert.IsFalse(report.AllDelivered);
    }

    [TestMethod]
    public async Task NoTargetsIsAnEmptyReport()
    {
        var report = await NotificationDispatcher.DeliverAsync([], NotificationSource.None, NotificationSamples.Summary, CancellationToken.None);

        Assert.AreEqual("none", report.Source);
        Assert.IsEmpty(report.Deliveries);
        Assert.IsTrue(report.AllDelivered);
    }

    [TestMethod]
    public void TheDefaultWorstCaseIsAttemptsTimesTimeoutPlusBackoff()
    {
        var options = NotificationOptions.Default;

        Assert.AreEqual(TimeSpan.FromSeconds(3 * 5 + 0.5 + 1), options.WebhookWorstCase);
        Assert.AreEqual(TimeSpan.FromSeconds(10 + 2 + 2), options.CommandWorstCase);
        Assert.AreEqual(TimeSpan.FromSeconds(16.5), options.WorstCase);
    }
}
