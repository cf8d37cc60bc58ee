namespace McpPlatform.Stores.Invalidation;

/// <summary>The platform's invalidation topics (shared by publishers and subscribers), and the rule every topic obeys.</summary>
public static class Topics
{
    /// <summary>
    /// Access.Api publishes here whenever a cached key validation may have become wrong (a key revoked or rotated, a
    /// user disabled or moved to another plan, a plan edited). The message is a JSON object, for example
    /// <c>{"reason":"key-revoked","keyId":"…","userId":"…"}</c>: a subscriber forgets every cached answer whose
    /// key id, user id or plan id equals the <c>keyId</c>, <c>userId</c> or <c>planId</c> present (see Access.Api/README.md).
    /// </summary>
    public const string AccessKeys = "access-keys";

    /// <summary>Throws unless <paramref name="topic"/> is 1 to 128 characters without spaces or glob characters.</summary>
    public static void Validate(string topic)
    {
        if (topic is not { Length: > 0 and <= 128 } || topic.Any(c => c is '*' or '?' or '[' || char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new ArgumentException("A topic is 1 to 128 characters without spaces or glob characters (* ? [).", nameof(topic));
        }
    }
}
