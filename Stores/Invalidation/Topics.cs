namespace McpPlatform.Stores.Invalidation;

internal static class Topics
{
    public static void Validate(string topic)
    {
        if (topic is not { Length: > 0 and <= 128 } || topic.Any(c => c is '*' or '?' or '[' || char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new ArgumentException("A topic is 1 to 128 characters without spaces or glob characters (* ? [).", nameof(topic));
        }
    }
}
