namespace McpPlatform.Stores.Events;

/// <summary>Stream names inside a session: 1–64 characters of [A-Za-z0-9_.-] (e.g. "get", or a POST's request id hash).</summary>
internal static class StreamNames
{
    public static bool IsValid(string? name) =>
        name is { Length: > 0 and <= 64 } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    public static void Validate(string name)
    {
        if (!IsValid(name))
        {
            throw new ArgumentException("A stream name is 1 to 64 characters of letters, digits, '_', '-' and '.'.", nameof(name));
        }
    }
}
