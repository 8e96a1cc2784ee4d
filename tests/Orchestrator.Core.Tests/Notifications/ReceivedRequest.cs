namespace Orchestrator.Core.Tests.Notifications;

/// <summary>One request as <see cref="TestHttpServer"/> read it off the socket.</summary>
internal sealed record ReceivedRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, byte[] Body);
