using McpPlatform.Contracts.Common.V1;
using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.Gateway.Edge.Access;
using McpPlatform.Gateway.Edge.Mcp.Transport;
using McpPlatform.Protocol.JsonRpc;

namespace McpPlatform.Gateway.Edge.Mcp.Relay;

/// <summary>One client message of a POST, once it passed every check: who sent it, to which server and session, and its envelope.</summary>
internal sealed class PostContext
{
    public required HttpContext Http { get; init; }

    public required Caller Caller { get; init; }

    public required CatalogServer Server { get; init; }

    /// <summary>The session id (set for every message but a new session's initialize).</summary>
    public string? SessionId { get; set; }

    /// <summary>The revision negotiated for the session, or the one being negotiated by initialize.</summary>
    public required string ProtocolVersion { get; set; }

    /// <summary>The message: a slice of the pooled body.</summary>
    public required ReadOnlyMemory<byte> Message { get; init; }

    public required JsonRpcEnvelope Envelope { get; init; }

    public required string Method { get; init; }

    /// <summary>For <c>tools/call</c> and <c>prompts/get</c>, the name; otherwise null.</summary>
    public string? Name { get; init; }

    public long StartedAt { get; init; }

    public ReadOnlySpan<byte> RawId => Envelope.RawId(Message.Span);

    public bool IsSessionMode => Server.Isolation == Isolation.Session;

    /// <summary>The route the dispatcher and the worker see: never a credential.</summary>
    public McpPlatform.Contracts.Common.V1.Route Route() => new()
    {
        Server = Server.Name,
        TenantId = Caller.TenantId,
        PrincipalId = Caller.PrincipalId,
        KeyId = Caller.KeyId ?? string.Empty,
        SessionId = SessionId ?? string.Empty,
        ProtocolVersion = ProtocolVersion,
        PlanId = Caller.Plan.PlanId,
        PlanMaxConcurrency = Caller.Plan.MaxConcurrentJobs,
        CorrelationId = System.Diagnostics.Activity.Current?.TraceId.ToString() ?? Http.TraceIdentifier,
    };

    /// <summary>The error response for this message, with its id.</summary>
    public Task ErrorAsync(int status, int code, string message, string reason) =>
        McpResults.ErrorAsync(Http, status, RawId, code, message, reason, Server.Name);
}
