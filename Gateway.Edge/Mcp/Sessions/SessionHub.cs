using System.Collections.Concurrent;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.Gateway.Edge.Mcp.Relay;
using McpPlatform.Gateway.Edge.Mcp.Sse;
using McpPlatform.Protocol.JsonRpc;
using McpPlatform.Stores.Events;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Mcp.Sessions;

/// <summary>
/// The session-isolation links this replica owns. initialize opens a link (Dispatch.Session, <c>resume=false</c>); a
/// later message for a session this replica has no link for re-attaches with <c>resume=true</c> (the replica that
/// opened it may be gone; the dispatcher keeps the slot). Messages nobody waits for go to the session's event log
/// (stream <c>get</c>), which any replica's GET serves. When the session ends upstream its record is deleted, so the
/// client gets 404 and re-initializes.
/// </summary>
internal sealed class SessionHub(
    DispatcherClient dispatcher,
    ISessionEventLog events,
    IServiceProvider services,
    IOptions<McpOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<SessionHub> logger)
{
    public const string GetStream = "get";

    private readonly ConcurrentDictionary<string, Task<SessionLink?>> _links = new(StringComparer.Ordinal);

    /// <summary>initialize: opens the session's link and relays the handshake.</summary>
    public async Task<RelayOutcome> OpenAsync(PostContext post, Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> onResponse)
    {
        var opening = new TaskCompletionSource<SessionLink?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _links[post.SessionId!] = opening.Task;
        var (link, busy) = await ConnectAsync(post, resume: false).ConfigureAwait(false);
        opening.SetResult(link);
        if (link is null)
        {
            _links.TryRemove(post.SessionId!, out _);
            return await UnavailableAsync(post, busy, opening: true).ConfigureAwait(false);
        }

        return await RequestOnAsync(link, post, onResponse).ConfigureAwait(false);
    }

    public async Task<RelayOutcome> RequestAsync(PostContext post, Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? filter)
    {
        var link = await LinkAsync(post).ConfigureAwait(false);
        return link is null ? await UnavailableAsync(post, null).ConfigureAwait(false) : await RequestOnAsync(link, post, filter).ConfigureAwait(false);
    }

    /// <summary>A notification or a response to a server request: into the session's stream.</summary>
    public async Task SendAsync(PostContext post)
    {
        if (await LinkAsync(post).ConfigureAwait(false) is { } link)
        {
            await link.SendAsync(post.Message, lifetime.ApplicationStopping).ConfigureAwait(false);
        }
    }

    /// <summary>DELETE: closes the link when this replica holds it, otherwise attaches just to close it (releasing the slot).</summary>
    public async Task CloseAsync(PostContext post)
    {
        var link = _links.TryRemove(post.SessionId!, out var existing) ? await existing.ConfigureAwait(false) : (await ConnectAsync(post, resume: true).ConfigureAwait(false)).Link;
        if (link is not null)
        {
            _links.TryRemove(post.SessionId!, out _);
            await link.CloseAsync("delete", CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<RelayOutcome> RequestOnAsync(SessionLink link, PostContext post, Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? onResponse)
    {
        var span = post.Message.Span;
        var pending = link.Expect(post.RawId, JsonRpcEnvelope.IsPresent(post.Envelope.MetaProgressToken) ? span[post.Envelope.MetaProgressToken] : default);
        var stream = new PostStream(post.Http, post.ProtocolVersion, options.Value.SseRetry, post.SessionId);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        if (options.Value.RequestTimeout is { } limit)
        {
            timeout.CancelAfter(limit);
        }

        try
        {
            await link.SendAsync(post.Message, timeout.Token).ConfigureAwait(false);
            await foreach (var item in pending.Messages.Reader.ReadAllAsync(timeout.Token).ConfigureAwait(false))
            {
                if (!item.IsResponse)
                {
                    await stream.RelatedAsync(item.Message).ConfigureAwait(false);
                    continue;
                }

                var response = onResponse is null ? item.Message : onResponse(item.Message);
                await stream.ResponseAsync(response).ConfigureAwait(false);
                return new RelayOutcome(StatusCodes.Status200OK, JsonRpcEnvelope.Parse(response.Span).IsError ? "error" : "ok", response.Length, response);
            }

            // The session ended while the request ran.
            var closed = link.Closed.IsCompleted ? await link.Closed.ConfigureAwait(false) : null;
            return await FailAsync(post, stream, StatusCodes.Status200OK, JsonRpcErrorCodes.ProcessExited, closed?.Message is { Length: > 0 } m ? m : "The session ended before the server answered; initialize a new session.", "session_ended").ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return await FailAsync(post, stream, StatusCodes.Status200OK, JsonRpcErrorCodes.Timeout, "The request ran past the gateway's request timeout.", "timeout").ConfigureAwait(false);
        }
        catch (RpcException ex)
        {
            Log.SessionLinkFailed(logger, post.SessionId!, post.Server.Name, ex.Status.Detail);
            return await FailAsync(post, stream, StatusCodes.Status200OK, JsonRpcErrorCodes.ProcessExited, "The session's connection to its server broke; initialize a new session.", "session_ended").ConfigureAwait(false);
        }
        finally
        {
            link.Forget(pending);
        }
    }

    private async Task<SessionLink?> LinkAsync(PostContext post)
    {
        var sessionId = post.SessionId!;
        while (true)
        {
            if (_links.TryGetValue(sessionId, out var existing))
            {
                var link = await existing.ConfigureAwait(false);
                if (link is not null && !link.Closed.IsCompleted)
                {
                    return link;
                }

                _links.TryRemove(new KeyValuePair<string, Task<SessionLink?>>(sessionId, existing));
                if (link is not null)
                {
                    return null;
                }
            }

            var attaching = new TaskCompletionSource<SessionLink?>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_links.TryAdd(sessionId, attaching.Task))
            {
                continue;
            }

            var (attached, _) = await ConnectAsync(post, resume: true).ConfigureAwait(false);
            attaching.SetResult(attached);
            if (attached is null)
            {
                _links.TryRemove(new KeyValuePair<string, Task<SessionLink?>>(sessionId, attaching.Task));
            }

            return attached;
        }
    }

    private async Task<(SessionLink? Link, McpPlatform.Contracts.Common.V1.Busy? Busy)> ConnectAsync(PostContext post, bool resume)
    {
        var call = dispatcher.Dispatch.Session(cancellationToken: lifetime.ApplicationStopping);
        try
        {
            await call.RequestStream.WriteAsync(new SessionClientFrame
            {
                Open = new SessionOpen { Route = post.Route(), Resume = resume, IdleTimeout = Duration.FromTimeSpan(options.Value.SessionIdleTimeout) },
            }, lifetime.ApplicationStopping).ConfigureAwait(false);
            if (!await call.ResponseStream.MoveNext(lifetime.ApplicationStopping).ConfigureAwait(false) || call.ResponseStream.Current.FrameCase != SessionServerFrame.FrameOneofCase.Opened)
            {
                var busy = call.ResponseStream.Current?.Busy;
                call.Dispose();
                return (null, busy);
            }

            if (resume)
            {
                Log.SessionReattached(logger, post.SessionId!, post.Server.Name, call.ResponseStream.Current.Opened.Resumed);
            }
        }
        catch (RpcException ex)
        {
            Log.SessionLinkFailed(logger, post.SessionId!, post.Server.Name, ex.Status.Detail);
            call.Dispose();
            return (null, null);
        }

        var link = new SessionLink(post.SessionId!, post.Server.Name, call, (id, message) => events.AppendAsync(id, GetStream, message, lifetime.ApplicationStopping).AsTask());
        _ = RunLinkAsync(link, post.Caller.PrincipalId);
        return (link, null);
    }

    private async Task RunLinkAsync(SessionLink link, string principal)
    {
        await link.RunAsync(lifetime.ApplicationStopping).ConfigureAwait(false);
        var closed = await link.Closed.ConfigureAwait(false);
        if (_links.TryGetValue(link.SessionId, out var current) && current.IsCompletedSuccessfully && ReferenceEquals(current.Result, link))
        {
            _links.TryRemove(link.SessionId, out _);
        }

        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return;
        }

        // The server side ended the session (process exit, idle, drain): the record goes, the client re-initializes.
        var reason = closed?.Reason.ToString() ?? "stream broken";
        Log.SessionEnded(logger, link.SessionId, link.Server, reason);
        var sessions = services.GetRequiredService<SessionCache>();
        await sessions.DeleteAsync(link.SessionId, principal, CancellationToken.None).ConfigureAwait(false);
        await events.DeleteSessionAsync(link.SessionId, CancellationToken.None).ConfigureAwait(false);
    }

    private static Task<RelayOutcome> UnavailableAsync(PostContext post, McpPlatform.Contracts.Common.V1.Busy? busy, bool opening = false)
    {
        var stream = new PostStream(post.Http, post.ProtocolVersion, TimeSpan.FromSeconds(1));
        if (busy is not null)
        {
            post.Http.Response.Headers.RetryAfter = Transport.McpResults.RetryAfterSeconds(busy.RetryAfter?.ToTimeSpan() ?? TimeSpan.FromSeconds(1));
            return FailAsync(post, stream, StatusCodes.Status429TooManyRequests, JsonRpcErrorCodes.Busy, busy.Message is { Length: > 0 } m ? m : $"'{post.Server.Name}' has no free session slot; retry later.", "busy");
        }

        // A new session that could not get a slot (the process failed to start, the dispatcher was unreachable) is a
        // temporary failure, not an unknown session: a 404 would send the client into re-initializing in a loop.
        if (opening)
        {
            post.Http.Response.Headers.RetryAfter = "1";
            return FailAsync(post, stream, StatusCodes.Status503ServiceUnavailable, JsonRpcErrorCodes.StartFailed, $"'{post.Server.Name}' could not open a session now (no slot came free in time, its process did not start, or the dispatcher is unreachable); retry shortly.", "session_unavailable");
        }

        return FailAsync(post, stream, StatusCodes.Status404NotFound, JsonRpcErrorCodes.InvalidRequest, "The session has ended: initialize a new one.", "unknown_session");
    }

    private static async Task<RelayOutcome> FailAsync(PostContext post, PostStream stream, int status, int code, string message, string reason)
    {
        var body = JsonRpcMessages.Error(post.RawId, code, message, reason, post.Server.Name);
        await stream.ResponseAsync(body, status).ConfigureAwait(false);
        return new RelayOutcome(stream.IsSse ? StatusCodes.Status200OK : status, reason, body.Length, null);
    }
}
