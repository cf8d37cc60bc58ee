namespace McpPlatform.Gateway.Edge.Access;

/// <summary>One metered MCP call, as the gateway saw it end to end.</summary>
/// <param name="Caller">Who.</param>
/// <param name="Server">The catalog server.</param>
/// <param name="Method">The JSON-RPC method.</param>
/// <param name="Tool">For <c>tools/call</c>, the tool.</param>
/// <param name="SessionId">The MCP session, if any.</param>
/// <param name="Duration">From receiving the request to sending the response.</param>
/// <param name="Status"><c>ok</c>, <c>error</c> (JSON-RPC error or an <c>isError</c> result), <c>busy</c>, <c>timeout</c>, <c>cancelled</c>.</param>
/// <param name="RequestBytes">The request message's size.</param>
/// <param name="ResponseBytes">The response message's size.</param>
/// <param name="OccurredAt">When the call finished.</param>
public sealed record UsageRecord(
    Caller Caller,
    string Server,
    string Method,
    string? Tool,
    string? SessionId,
    TimeSpan Duration,
    string Status,
    long RequestBytes,
    long ResponseBytes,
    DateTimeOffset OccurredAt);
