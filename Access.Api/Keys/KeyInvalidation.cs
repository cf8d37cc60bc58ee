using System.Text.Json;
using McpPlatform.Stores.Invalidation;

namespace McpPlatform.Access.Api.Keys;

/// <summary>
/// Tells every gateway replica to forget cached validations, on topic <see cref="Topics.AccessKeys"/>. The message is
/// a JSON object with "reason" and any of "keyId", "userId", "planId"; a subscriber drops every cached answer whose
/// principal matches any field present (Access.Api/README.md). Publishing is best effort: the cache TTL bounds
/// what a lost message costs.
/// </summary>
internal sealed partial class KeyInvalidation(IInvalidationBus bus, ILogger<KeyInvalidation> logger)
{
    public Task KeyAsync(string reason, Guid keyId, Guid userId, CancellationToken cancellationToken) =>
        PublishAsync(new Message(reason, keyId.ToString(), userId.ToString(), null), cancellationToken);

    public Task UserAsync(string reason, Guid userId, CancellationToken cancellationToken) =>
        PublishAsync(new Message(reason, null, userId.ToString(), null), cancellationToken);

    public Task PlanAsync(string reason, string planId, CancellationToken cancellationToken) =>
        PublishAsync(new Message(reason, null, null, planId), cancellationToken);

    private async Task PublishAsync(Message message, CancellationToken cancellationToken)
    {
        try
        {
            await bus.PublishAsync(Topics.AccessKeys, JsonSerializer.Serialize(message, JsonColumns.Options), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogPublishFailed(logger, message.Reason, exception.Message);
        }
    }

    [LoggerMessage(1, LogLevel.Error, "Could not publish the {Reason} invalidation ({Error}); gateways keep cached answers until their TTL ends")]
    private static partial void LogPublishFailed(ILogger logger, string reason, string error);

    private sealed record Message(
        string Reason,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? KeyId,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? UserId,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? PlanId);
}
