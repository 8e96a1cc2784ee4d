using Orchestrator.Core.Notifications;

namespace Orchestrator.Core.Tests.Notifications;

[TestClass]
public sealed class NotificationTargetTests
{
    [TestMethod]
    [DataRow("https://hooks.example.com/build")]
    [DataRow("http://127.0.0.1:8080/notify?channel=ci")]
    [DataRow("HTTPS://Hooks.Example.com/x")]
    [DataRow("  https://hooks.example.com/padded  ")]
    public void UrlsAreWebhooks(string value)
    {
        var target = NotificationTarget.Parse(value, "test");

        Assert.AreEqual(NotificationTargetKind.Webhook, target.Kind);
        Assert.AreEqual("webhook", target.KindName);
        Assert.IsEmpty(target.Arguments);
    }

    [TestMethod]
    [DataRow("command:notify-send", new[] { "notify-send" })]
    [DataRow("command:notify-send -u low 'Build finished' \"it's done\"", new[] { "notify-send", "-u", "low", "Build finished", "it's done" })]
    [DataRow("command:  /usr/bin/logger   -t  orchestrator ", new[] { "/usr/bin/logger", "-t", "orchestrator" })]
    [DataRow("command:say \"\" 'a'\"b c\"d", new[] { "say", "", "ab cd" })]
    [DataRow("command:echo $HOME `id` a|b;c \\n", new[] { "echo", "$HOME", "`id`", "a|b;c", "\\n" })]
    public void CommandLinesSplitOnWhitespaceWithSimpleQuotingAndNoShell(string value, string[] argv)
    {
        var target = NotificationTarget.Parse(value, "test");

        Assert.AreEqual(NotificationTargetKind.Command, target.Kind);
        Assert.AreEqual("command", target.KindName);
        CollectionAssert.AreEqual(argv, target.Arguments.ToArray());
    }

    [TestMethod]
    [DataRow("", "the target is empty")]
    [DataRow("   ", "the target is empty")]
    [DataRow("ftp://files.example.com/drop", "unknown scheme 'ftp' (expected http://, https:// or command:<program> [args...])")]
    [DataRow("mailto:team@example.com", "unknown scheme 'mailto'")]
    [DataRow("notify-send", "not a notification target")]
    [DataRow("command:", "command: names no program")]
    [DataRow("command:   ", "command: names no program")]
    [DataRow("command:\"\" arg", "command: names no program")]
    [DataRow("command:notify-send 'unclosed", "the quote (') at position 13 is never closed")]
    [DataRow("https://", "not a valid URL")]
    [DataRow("https:///path-only", "not a valid URL")]
    [DataRow("https://hooks.example.com/a b", "a URL cannot contain spaces")]
    public void InvalidTargetsAreRejectedWithAClearMessageNamingThem(string value, string reason)
    {
        var error = Assert.ThrowsExactly<NotificationConfigurationException>(() => NotificationTarget.Parse(value, "--notify"));

        Assert.StartsWith($"--notify: invalid notification target '{value.Trim()}': ", error.Message);
        Assert.Contains(reason, error.Reason);
        Assert.AreEqual(value.Trim(), error.Target);
        Assert.AreEqual("--notify", error.Origin);
        Assert.IsFalse(NotificationTarget.TryParse(value, out _, out string? message));
        Assert.AreEqual(error.Reason, message);
    }

    [TestMethod]
    public void AnInvalidTargetsCredentialsAreMaskedInTheError()
    {
        var error = Assert.ThrowsExactly<NotificationConfigurationException>(() => NotificationTarget.Parse("ftp://deploy:hunter2@files.example.com/drop", "ORCHESTRATOR_NOTIFY"));

        Assert.AreEqual("ORCHESTRATOR_NOTIFY: invalid notification target 'ftp://***@files.example.com/drop': unknown scheme 'ftp' (expected http://, https:// or command:<program> [args...])", error.Message);
        Assert.DoesNotContain("hunter2", error.Message);
    }

    [TestMethod]
    [DataRow("https://user:pass@hooks.example.com/build", "https://***@hooks.example.com/build")]
    [DataRow("https://token-only@hooks.example.com/", "https://***@hooks.example.com/")]
    [DataRow("https://hooks.example.com/build?token=abc&channel=ci", "https://hooks.example.com/build?token=***&channel=ci")]
    [DataRow("https://h.example.com/x?Access_Token=a&API-KEY=b&client_secret=c&Password=d&sig=e&X-Amz-Signature=f&design=g&signal=h",
        "https://h.example.com/x?Access_Token=***&API-KEY=***&client_secret=***&Password=***&sig=***&X-Amz-Signature=***&design=g&signal=h")]
    [DataRow("https://h.example.com/x?flag&token=&k=v#frag", "https://h.example.com/x?flag&token=***&k=v#frag")]
    [DataRow("https://hooks.slack.com/services/T0123ABCD/B0456EFGH/aBcDeFgHiJkLmNoPqRsTuVwX", "https://hooks.slack.com/services/T0123ABCD/B0456EFGH/***")]
    [DataRow("https://example.com:8443/notifications/orchestrator-builds", "https://example.com:8443/notifications/orchestrator-builds")]
    public void TheRedactedFormHidesCredentialsAndSecretValues(string value, string redacted)
    {
        var target = NotificationTarget.Parse(value, "test");

        Assert.AreEqual(redacted, target.Redacted);
        Assert.AreEqual(redacted, target.ToString());
        Assert.AreEqual(redacted, $"{target}");
    }

    [TestMethod]
    public void CredentialsInACommandsArgumentsAreMaskedInItsDisplay()
    {
        var target = NotificationTarget.Parse("command:curl -sf https://bot:p4ss@chat.example.com/hook", "test");

        Assert.AreEqual("command:curl -sf https://***@chat.example.com/hook", target.Redacted);
        Assert.AreEqual("https://bot:p4ss@chat.example.com/hook", target.Arguments[2]);
    }

    [TestMethod]
    public void TargetsWithTheSameTextAreEqual()
    {
        var a = NotificationTarget.Parse("command:notify-send 'x y'", "test");
        var b = NotificationTarget.Parse("command:notify-send 'x y'", "test");

        Assert.AreEqual(a, b);
        Assert.AreEqual(a.GetHashCode(), b.GetHashCode());
        Assert.AreNotEqual(a, NotificationTarget.Parse("command:notify-send x", "test"));
    }
}
