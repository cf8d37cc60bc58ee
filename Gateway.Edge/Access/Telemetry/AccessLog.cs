namespace McpPlatform.Gateway.Edge.Access.Telemetry;

/// <summary>The access layer's log messages. Never a key, a digest or a token: key ids and prefixes only.</summary>
internal static partial class AccessLog
{
    [LoggerMessage(1, LogLevel.Warning, "Access.Api could not validate a key ({StatusCode}: {Detail}); answering 503 unless a good answer is cached")]
    public static partial void ValidateFailed(ILogger logger, string statusCode, string detail);

    [LoggerMessage(2, LogLevel.Information, "Key cache: {Removed} answers forgotten ({Reason}, key {KeyId}, user {UserId}, plan {PlanId})")]
    public static partial void Evicted(ILogger logger, int removed, string? reason, string? keyId, string? userId, string? planId);

    [LoggerMessage(3, LogLevel.Warning, "Invalidation messages may have been missed (Redis reconnected); the whole key cache was dropped")]
    public static partial void CacheDropped(ILogger logger);

    [LoggerMessage(4, LogLevel.Warning, "An invalidation message on topic access-keys was not understood and was ignored")]
    public static partial void BadInvalidation(ILogger logger);

    [LoggerMessage(5, LogLevel.Warning, "Usage: RecordUsage failed for {Events} events ({Error}); they stay buffered, next try in {Delay}")]
    public static partial void DrainFailed(ILogger logger, int events, string error, TimeSpan delay);

    [LoggerMessage(6, LogLevel.Warning, "Usage: Redis refused {Events} events ({Error}); retrying, events stay in memory meanwhile")]
    public static partial void AppendFailed(ILogger logger, int events, string error);

    [LoggerMessage(7, LogLevel.Error, "Usage: the buffer is full; {Events} events were dropped")]
    public static partial void Dropped(ILogger logger, int events);

    [LoggerMessage(8, LogLevel.Warning, "Usage events are buffered in memory only (no Redis: single-node mode); a crash or restart loses what Access.Api has not stored yet")]
    public static partial void InProcessBuffer(ILogger logger);

    [LoggerMessage(9, LogLevel.Information, "Usage: {Events} buffered events stored after {Failures} failed attempts")]
    public static partial void DrainRecovered(ILogger logger, int events, int failures);

    [LoggerMessage(10, LogLevel.Warning, "A quota or rate-limit store failed ({Error}); the request was allowed")]
    public static partial void LimitStoreFailed(ILogger logger, string error);

    [LoggerMessage(11, LogLevel.Warning, "Access.Api answered ValidateKey without a principal or a rejection; treated as unreachable")]
    public static partial void EmptyValidation(ILogger logger);
}
