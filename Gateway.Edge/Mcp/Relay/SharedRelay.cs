using Google.Protobuf;
using Grpc.Core;
using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.Gateway.Edge.Mcp.Sse;
using McpPlatform.Protocol.JsonRpc;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Mcp.Relay;

/// <summary>
/// Shared- and tenant-isolation servers: each client message is one Relay call, multiplexed on a long-lived RelayMux
/// stream by default (<see cref="RelayOptions"/>). The related messages stream back before the result; the first
/// event decides JSON or SSE.
/// </summary>
internal sealed class SharedRelay(DispatcherClient dispatcher, IOptions<McpOptions> options, IHostApplicationLifetime lifetime, ILogger<SharedRelay> logger)
{
    /// <summary>Relays a request and answers it; returns the response bytes' outcome for metrics and usage.</summary>
    public async Task<RelayOutcome> RequestAsync(PostContext post, Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? rewriteResult = null)
    {
        var stream = new PostStream(post.Http, post.ProtocolVersion, options.Value.SseRetry, post.SessionId);
        using var timeout = Timeout();
        var token = timeout.Token;
        var deadline = Deadline();
        try
        {
            using var call = await dispatcher.StartRelayAsync(Request(post, isNotification: false), deadline, token).ConfigureAwait(false);
            if (call is not null)
            {
                do
                {
                    var item = call.ResponseStream.Current;
                    switch (item.EventCase)
                    {
                        case RelayEvent.EventOneofCase.Related:
                            await stream.RelatedAsync(item.Related.Memory).ConfigureAwait(false);
                            break;
                        case RelayEvent.EventOneofCase.Result:
                            var message = item.Result.Message.Memory;
                            if (rewriteResult is not null)
                            {
                                message = rewriteResult(message);
                            }

                            await stream.ResponseAsync(message).ConfigureAwait(false);
                            return new RelayOutcome(StatusCodes.Status200OK, JsonRpcEnvelope.Parse(message.Span).IsError ? "error" : "ok", message.Length, message);
                        case RelayEvent.EventOneofCase.Busy:
                            return await BusyAsync(post, stream, item.Busy).ConfigureAwait(false);
                    }
                }
                while (await call.ResponseStream.MoveNext(token).ConfigureAwait(false));
            }

            return await FailAsync(post, stream, StatusCodes.Status502BadGateway, JsonRpcErrorCodes.InternalError, "The dispatcher ended the call without a response; retry the request.", "no_response").ConfigureAwait(false);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.DeadlineExceeded || (ex.StatusCode == StatusCode.Cancelled && timeout.IsCancellationRequested && !lifetime.ApplicationStopping.IsCancellationRequested))
        {
            return await FailAsync(post, stream, StatusCodes.Status200OK, JsonRpcErrorCodes.Timeout, "The request ran past the gateway's request timeout.", "timeout").ConfigureAwait(false);
        }
        catch (RpcException ex)
        {
            Log.DispatcherFailed(logger, post.Server.Name, post.Method, ex.StatusCode, ex.Status.Detail);
            return ex.StatusCode switch
            {
                StatusCode.NotFound => await FailAsync(post, stream, StatusCodes.Status404NotFound, JsonRpcErrorCodes.InvalidParams, $"No worker serves '{post.Server.Name}'.", "unknown_server").ConfigureAwait(false),
                StatusCode.Unavailable or StatusCode.Cancelled => await FailAsync(post, stream, StatusCodes.Status503ServiceUnavailable, JsonRpcErrorCodes.Busy, "The dispatcher is unavailable; retry shortly.", "dispatcher_unavailable").ConfigureAwait(false),
                _ => await FailAsync(post, stream, StatusCodes.Status502BadGateway, JsonRpcErrorCodes.InternalError, "The dispatcher failed the request; retry it.", "dispatcher_error").ConfigureAwait(false),
            };
        }
    }

    /// <summary>For a 2025-03-26 batch: the response alone (related messages dropped), or an error response.</summary>
    public async Task<ReadOnlyMemory<byte>> CollectAsync(PostContext post)
    {
        using var timeout = Timeout();
        try
        {
            using var call = dispatcher.Relay(Request(post, isNotification: false), Deadline(), timeout.Token);
            while (await call.ResponseStream.MoveNext(timeout.Token).ConfigureAwait(false))
            {
                var item = call.ResponseStream.Current;
                if (item.EventCase == RelayEvent.EventOneofCase.Result)
                {
                    return item.Result.Message.Memory;
                }

                if (item.EventCase == RelayEvent.EventOneofCase.Busy)
                {
                    return JsonRpcMessages.Error(post.RawId, JsonRpcErrorCodes.Busy, $"'{post.Server.Name}' is busy; retry later.", "busy", post.Server.Name);
                }
            }
        }
        catch (RpcException ex)
        {
            Log.DispatcherFailed(logger, post.Server.Name, post.Method, ex.StatusCode, ex.Status.Detail);
        }

        return JsonRpcMessages.Error(post.RawId, JsonRpcErrorCodes.InternalError, "The request could not be relayed; retry it.", "dispatcher_error", post.Server.Name);
    }

    /// <summary>Delivers a notification (e.g. <c>notifications/cancelled</c>) upstream; false when it could not be.</summary>
    public async Task<bool> NotifyAsync(PostContext post)
    {
        try
        {
            using var call = dispatcher.Relay(Request(post, isNotification: true), DateTime.UtcNow.AddSeconds(30), lifetime.ApplicationStopping);
            while (await call.ResponseStream.MoveNext(lifetime.ApplicationStopping).ConfigureAwait(false))
            {
            }

            return true;
        }
        catch (RpcException ex)
        {
            Log.DispatcherFailed(logger, post.Server.Name, post.Method, ex.StatusCode, ex.Status.Detail);
            return false;
        }
    }

    private static RelayRequest Request(PostContext post, bool isNotification) => new()
    {
        Route = post.Route(),
        // The body buffer outlives the call (the caller disposes it after this returns): no copy.
        Message = UnsafeByteOperations.UnsafeWrap(post.Message),
        Method = post.Method,
        Tool = post.Method == "tools/call" ? post.Name ?? string.Empty : string.Empty,
        IsNotification = isNotification,
    };

    private static async Task<RelayOutcome> BusyAsync(PostContext post, PostStream stream, McpPlatform.Contracts.Common.V1.Busy busy)
    {
        var retry = busy.RetryAfter?.ToTimeSpan() ?? TimeSpan.FromSeconds(1);
        var message = string.IsNullOrEmpty(busy.Message) ? $"'{post.Server.Name}' is busy; retry after {retry.TotalSeconds:0.#} s." : busy.Message;
        if (!stream.IsSse)
        {
            post.Http.Response.Headers.RetryAfter = Transport.McpResults.RetryAfterSeconds(retry);
        }

        return await FailAsync(post, stream, StatusCodes.Status429TooManyRequests, JsonRpcErrorCodes.Busy, message, "busy").ConfigureAwait(false);
    }

    private static async Task<RelayOutcome> FailAsync(PostContext post, PostStream stream, int status, int code, string message, string reason)
    {
        var body = JsonRpcMessages.Error(post.RawId, code, message, reason, post.Server.Name);
        await stream.ResponseAsync(body, status).ConfigureAwait(false);
        return new RelayOutcome(stream.IsSse ? StatusCodes.Status200OK : status, reason, body.Length, null);
    }

    private DateTime? Deadline() => options.Value.RequestTimeout is { } timeout ? DateTime.UtcNow.Add(timeout) : null;

    /// <summary>Only the gateway stopping (and the configured timeout) ends a relayed call: a client leaving does not.</summary>
    private CancellationTokenSource Timeout()
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        if (options.Value.RequestTimeout is { } timeout)
        {
            source.CancelAfter(timeout);
        }

        return source;
    }
}
