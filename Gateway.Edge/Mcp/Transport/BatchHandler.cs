using System.Buffers;
using McpPlatform.Gateway.Edge.Mcp.Relay;
using McpPlatform.Gateway.Edge.Mcp.Sessions;
using McpPlatform.Protocol.JsonRpc;
using McpPlatform.Stores.Sessions;

namespace McpPlatform.Gateway.Edge.Mcp.Transport;

/// <summary>
/// JSON-RPC batches, which only 2025-03-26 allowed: refused (400) for any other session, and for initialize (which may
/// not be batched). A 2025-03-26 batch on a shared/tenant server is split, each message checked and relayed in order,
/// and the responses returned as one JSON array (202 when it held no request). Session-isolation servers get 400:
/// their messages flow one by one.
/// </summary>
internal sealed class BatchHandler(SessionCache sessions, SharedRelay relay, Access.ICallPolicy policy)
{
    public async Task HandleAsync(IncomingCall call, ReadOnlyMemory<byte> body)
    {
        var http = call.Http;
        var elements = new List<Range>();
        if (!JsonRpcSyntax.TrySplitBatch(body.Span, elements))
        {
            await McpResults.ErrorAsync(http, StatusCodes.Status400BadRequest, default, JsonRpcErrorCodes.ParseError, "The body is not valid UTF-8 JSON.", "parse_error", call.Server.Name).ConfigureAwait(false);
            return;
        }

        var sessionId = http.Request.Headers["Mcp-Session-Id"].ToString();
        var lookup = SessionIds.IsWellFormed(sessionId) ? await sessions.GetAsync(sessionId, call.Caller.PrincipalId, http.RequestAborted).ConfigureAwait(false) : default;
        var version = lookup.Session?.ProtocolVersion;
        if (lookup.Status != SessionLookupStatus.Found || !ProtocolVersions.AllowsBatches(version) || call.Server.Isolation == McpPlatform.Contracts.Common.V1.Isolation.Session || elements.Count == 0)
        {
            await McpResults.ErrorAsync(http, StatusCodes.Status400BadRequest, default, JsonRpcErrorCodes.InvalidRequest, "JSON-RPC batches are accepted only in 2025-03-26 sessions of shared servers; send one message per POST.", "batch_not_allowed", call.Server.Name).ConfigureAwait(false);
            return;
        }

        var responses = new List<ReadOnlyMemory<byte>>();
        foreach (var range in elements)
        {
            var message = body[range];
            var envelope = JsonRpcEnvelope.Parse(message.Span);
            if (envelope.Kind == JsonRpcKind.Invalid || !envelope.HasVersion || envelope.MethodIs(message.Span, "\"initialize\""u8))
            {
                responses.Add(JsonRpcMessages.Error(envelope.RawId(message.Span), JsonRpcErrorCodes.InvalidRequest, "Not a JSON-RPC message that may be batched.", "invalid_request", call.Server.Name));
                continue;
            }

            if (envelope.Kind == JsonRpcKind.Response)
            {
                continue;
            }

            var method = envelope.GetMethod(message.Span)!;
            var name = method is "tools/call" or "prompts/get" ? envelope.GetParamsName(message.Span) : null;
            if (await policy.AuthorizeAsync(call.Caller, call.Server.Name, method, name, http.RequestAborted).ConfigureAwait(false) is { } denial)
            {
                if (envelope.Kind == JsonRpcKind.Request)
                {
                    responses.Add(JsonRpcMessages.Error(envelope.RawId(message.Span), denial.JsonRpcCode, denial.Message, denial.Reason, call.Server.Name));
                }

                continue;
            }

            var post = new PostContext
            {
                Http = http, Caller = call.Caller, Server = call.Server, SessionId = sessionId, ProtocolVersion = version!,
                Message = message, Envelope = envelope, Method = method, Name = name, StartedAt = call.StartedAt,
            };
            if (envelope.Kind == JsonRpcKind.Notification)
            {
                if (method != "notifications/initialized")
                {
                    await relay.NotifyAsync(post).ConfigureAwait(false);
                }
            }
            else if (method == "ping")
            {
                responses.Add(JsonRpcMessages.Result(post.RawId, "{}"u8));
            }
            else
            {
                var response = await relay.CollectAsync(post).ConfigureAwait(false);
                responses.Add(method == "tools/list" ? ToolListFilter.For(policy, call.Caller, call.Server.Name)(response) : response);
            }
        }

        if (responses.Count == 0)
        {
            http.Response.StatusCode = StatusCodes.Status202Accepted;
            return;
        }

        var array = new ArrayBufferWriter<byte>();
        array.Write("["u8);
        for (var i = 0; i < responses.Count; i++)
        {
            if (i > 0)
            {
                array.Write(","u8);
            }

            array.Write(responses[i].Span);
        }

        array.Write("]"u8);
        await McpResults.JsonAsync(http, StatusCodes.Status200OK, array.WrittenMemory).ConfigureAwait(false);
    }
}
