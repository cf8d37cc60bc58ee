namespace McpPlatform.Access.Api.Keys;

/// <summary>A key's permission: server and tool glob patterns ("*" matches any run of characters).</summary>
internal sealed record KeyScope(string Server, string Tool);
