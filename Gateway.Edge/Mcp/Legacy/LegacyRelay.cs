using Google.Protobuf;
using Grpc.Core;
using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.Gateway.Edge.Access;
using McpPlatform.Gateway.Edge.Mcp.Relay;
using McpPlatform.Gateway.Edge.Mcp.Sessions;
using McpPlatform.Gateway.Edge.Mcp.Transport;
using McpPlatform.Protocol.JsonRpc;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Mcp.Legacy;

/// <summary>
/// Client messages of a legacy session, on the replica holding its stream. Session isolation: written to the
/// session's link in order, unchanged. Shared and tenant: each request is one relayed call (on a RelayMux stream unless Gateway:Mcp:Relay:Multiplex is off), run side by side
/// (a long tool call does not hold up the next message); its related messages and its response go on the stream.
/// <c>ping</c> is answered here and <c>notifications/initialized</c> dropped: the worker did the handshake itself.
/// </summary>
internal sealed class LegacyRelay(DispatcherClient dispatcher, SharedRelay shared, ICallPolicy policy, IUsageSink usage, IOptions<McpOptions> options, TimeProvider time, ILogger<LegacyRelay> logger)
{
    /// <summary>Hands the message on; returns once a session link has it or a shared relay has started.</summary>
    public async Task AcceptAsync(LegacySession session, LegacyLink? link, byte[] message)
    {
        if (link is not null)
        {
            await link.SendAsync(message, session.Ended).ConfigureAwait(false);
            return;
        }

        var envelope = JsonRpcEnvelope.Parse(message);
        var method = envelope.GetMethod(message) ?? string.Empty;
        switch (envelope.Kind)
        {
            case JsonRpcKind.Request when method == "ping":
                await SafeAsync(session, JsonRpcMessages.Result(envelope.RawId(message), "{}"u8)).ConfigureAwait(false);
                break;
            case JsonRpcKind.Request:
                _ = RequestAsync(session, message, envelope, method);
                break;
            case JsonRpcKind.Notification when method != "notifications/initialized":
                _ = shared.NotifyAsync(Post(session, message, envelope, method));
                break;
        }
    }

    private async Task RequestAsync(LegacySession session, byte[] message, JsonRpcEnvelope envelope, string method)
    {
        var started = time.GetTimestamp();
        var post = Post(session, message, envelope, method);
        Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? rewrite = method switch
        {
            "tools/list" => ToolListFilter.For(policy, session.Caller, session.Server.Name),
            "initialize" => Negotiated(session, message),
            _ => null,
        };

        var status = "ok";
        long bytes = 0;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(session.Ended);
        if (options.Value.RequestTimeout is { } limit)
        {
            timeout.CancelAfter(limit);
        }

        var request = new RelayRequest
        {
            Route = post.Route(),
            Message = UnsafeByteOperations.UnsafeWrap(message),
            Method = method,
            Tool = method == "tools/call" ? post.Name ?? string.Empty : string.Empty,
        };
        try
        {
            using (var call = await dispatcher.StartRelayAsync(request, deadline: null, timeout.Token).ConfigureAwait(false))
            {
                if (call is not null)
                {
                    do
                    {
                        var item = call.ResponseStream.Current;
                        switch (item.EventCase)
                        {
                            case RelayEvent.EventOneofCase.Related:
                                await SafeAsync(session, item.Related.Memory).ConfigureAwait(false);
                                break;
                            case RelayEvent.EventOneofCase.Result:
                                var response = rewrite is null ? item.Result.Message.Memory : rewrite(item.Result.Message.Memory);
                                status = JsonRpcEnvelope.Parse(response.Span).IsError ? "error" : "ok";
                                bytes = response.Length;
                                await SafeAsync(session, response).ConfigureAwait(false);
                                return;
                            case RelayEvent.EventOneofCase.Busy:
                                status = "busy";
                                await SafeAsync(session, JsonRpcMessages.Error(post.RawId, JsonRpcErrorCodes.Busy, $"'{session.Server.Name}' is busy; retry later.", "busy", session.Server.Name)).ConfigureAwait(false);
                                return;
                        }
                    }
                    while (await call.ResponseStream.MoveNext(timeout.Token).ConfigureAwait(false));
                }
            }

            status = "no_response";
            await SafeAsync(session, JsonRpcMessages.Error(post.RawId, JsonRpcErrorCodes.InternalError, "The dispatcher ended the call without a response; retry the request.", "no_response", session.Server.Name)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RpcException or OperationCanceledException)
        {
            if (session.Ended.IsCancellationRequested)
            {
                return;
            }

            status = timeout.IsCancellationRequested ? "timeout" : "dispatcher_error";
            LegacyLog.RelayFailed(logger, session.Server.Name, method, ex.Message);
            await SafeAsync(session, JsonRpcMessages.Error(post.RawId, timeout.IsCancellationRequested ? JsonRpcErrorCodes.Timeout : JsonRpcErrorCodes.InternalError,
                timeout.IsCancellationRequested ? "The request ran past the gateway's request timeout." : "The request could not be relayed; retry it.", status, session.Server.Name)).ConfigureAwait(false);
        }
        finally
        {
            usage.Record(new UsageRecord(session.Caller, session.Server.Name, method, method == "tools/call" ? post.Name : null, session.Id,
                time.GetElapsedTime(started), status, message.Length, bytes, time.GetUtcNow()));
        }
    }

    /// <summary>The revision the gateway speaks with this client (its own if supported), set on the worker's answer.</summary>
    private static Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> Negotiated(LegacySession session, byte[] request)
    {
        session.ProtocolVersion = ProtocolVersions.Negotiate(InitializeHandler.RequestedVersion(request));
        var version = session.ProtocolVersion;
        return response => InitializeHandler.WithVersion(response, version);
    }

    /// <summary>The stream may be gone (the client left): the relay just stops writing.</summary>
    private static async Task SafeAsync(LegacySession session, ReadOnlyMemory<byte> message)
    {
        try
        {
            await session.MessageAsync(message).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    private static PostContext Post(LegacySession session, byte[] message, JsonRpcEnvelope envelope, string method) => new()
    {
        Http = session.Http,
        Caller = session.Caller,
        Server = session.Server,
        SessionId = session.Id,
        ProtocolVersion = session.ProtocolVersion,
        Message = message,
        Envelope = envelope,
        Method = method,
        Name = method is "tools/call" or "prompts/get" ? envelope.GetParamsName(message) : null,
    };
}
