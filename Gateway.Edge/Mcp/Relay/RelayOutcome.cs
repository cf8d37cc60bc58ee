namespace McpPlatform.Gateway.Edge.Mcp.Relay;

/// <summary>How a relayed request ended: the HTTP status sent, a usage status, the response size, and the response itself when it came from upstream.</summary>
internal readonly record struct RelayOutcome(int HttpStatus, string Status, long ResponseBytes, ReadOnlyMemory<byte>? Response);
