using System.Text.Json.Serialization;

namespace Orchestrator.Core.Notifications;

/// <summary>How a target receives the <c>run:summary</c> JSON.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NotificationTargetKind>))]
public enum NotificationTargetKind
{
    /// <summary>An <c>http://</c> or <c>https://</c> URL that receives the JSON by POST.</summary>
    [JsonStringEnumMemberName("webhook")] Webhook,

    /// <summary>A <c>command:</c> program that receives the JSON as its last argument.</summary>
    [JsonStringEnumMemberName("command")] Command,
}
