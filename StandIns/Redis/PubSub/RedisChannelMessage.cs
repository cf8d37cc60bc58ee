namespace McpPlatform.Redis;

/// <summary>A message received on a subscribed channel.</summary>
/// <param name="Channel">The channel it was published to.</param>
/// <param name="Message">The payload.</param>
/// <param name="Pattern">The pattern that matched, for PSUBSCRIBE subscriptions; otherwise null.</param>
public readonly record struct RedisChannelMessage(string Channel, RedisValue Message, string? Pattern);
