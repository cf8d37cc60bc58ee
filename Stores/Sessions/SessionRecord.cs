namespace McpPlatform.Stores.Sessions;

/// <summary>An MCP session (the <c>Mcp-Session-Id</c>), bound to the principal that created it.</summary>
public sealed record SessionRecord
{
    /// <summary>The session id; create it with <see cref="SessionIds.New"/> (unguessable).</summary>
    public required string Id { get; init; }

    /// <summary>Who created the session (e.g. "key:&lt;key id&gt;" or "user:&lt;subject&gt;"); only they may use it.</summary>
    public required string Principal { get; init; }

    /// <summary>The MCP server the session talks to (the {server} of <c>/mcp/{server}</c>).</summary>
    public string? Server { get; init; }

    /// <summary>The protocol revision negotiated at initialize.</summary>
    public string? ProtocolVersion { get; init; }

    /// <summary>When the session was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Free-form values the services attach (the worker lease of a session-mode server, client info, …).</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();
}
