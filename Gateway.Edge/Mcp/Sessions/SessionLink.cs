using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using Google.Protobuf;
using Grpc.Core;
using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.Protocol.JsonRpc;

namespace McpPlatform.Gateway.Edge.Mcp.Sessions;

/// <summary>
/// A session-isolation server's MCP session on this replica: one Dispatch.Session bidirectional stream. Client
/// messages go in as they arrive; what comes out is routed: a response to the POST waiting for it; progress to the POST
/// whose progress token it names; other server messages to the only POST in flight when there is exactly one,
/// otherwise (and <c>list_changed</c>/<c>resources/updated</c> always) to the session's event log for the GET stream.
/// </summary>
internal sealed class SessionLink(string sessionId, string server, AsyncDuplexStreamingCall<SessionClientFrame, SessionServerFrame> call, Func<string, ReadOnlyMemory<byte>, Task> toEventLog)
{
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ConcurrentDictionary<string, Pending> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Pending> _byProgressToken = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<SessionClosed?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string SessionId => sessionId;

    public string Server => server;

    /// <summary>Completes when the session ended (the closed frame, or null when the stream broke).</summary>
    public Task<SessionClosed?> Closed => _closed.Task;

    /// <summary>Registers a request before it is sent, so its answer cannot arrive unseen.</summary>
    public Pending Expect(ReadOnlySpan<byte> rawId, ReadOnlySpan<byte> rawProgressToken)
    {
        var pending = new Pending(Encoding.UTF8.GetString(rawId), rawProgressToken.IsEmpty ? null : Encoding.UTF8.GetString(rawProgressToken));
        _byId[pending.Id] = pending;
        if (pending.ProgressToken is { } token)
        {
            _byProgressToken[token] = pending;
        }

        return pending;
    }

    public void Forget(Pending pending)
    {
        _byId.TryRemove(new KeyValuePair<string, Pending>(pending.Id, pending));
        if (pending.ProgressToken is { } token)
        {
            _byProgressToken.TryRemove(new KeyValuePair<string, Pending>(token, pending));
        }
    }

    public async Task SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await call.RequestStream.WriteAsync(new SessionClientFrame { Message = ByteString.CopyFrom(message.Span) }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Ends the session upstream (DELETE): the close frame, then the end of the client side.</summary>
    public async Task CloseAsync(string reason, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await call.RequestStream.WriteAsync(new SessionClientFrame { Close = new SessionClose { Reason = reason } }, cancellationToken).ConfigureAwait(false);
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        }
        catch (RpcException)
        {
        }
        catch (InvalidOperationException)
        {
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Reads the server's frames until the session ends; runs for the link's life.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        SessionClosed? closed = null;
        try
        {
            while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                var frame = call.ResponseStream.Current;
                if (frame.FrameCase == SessionServerFrame.FrameOneofCase.Closed)
                {
                    closed = frame.Closed;
                    break;
                }

                if (frame.FrameCase == SessionServerFrame.FrameOneofCase.Message)
                {
                    await RouteAsync(frame.Message.Memory).ConfigureAwait(false);
                }
            }
        }
        catch (RpcException)
        {
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            foreach (var pending in _byId.Values)
            {
                pending.Messages.Writer.TryComplete();
            }

            _closed.TrySetResult(closed);
            call.Dispose();
        }
    }

    private async Task RouteAsync(ReadOnlyMemory<byte> message)
    {
        var envelope = JsonRpcEnvelope.Parse(message.Span);
        var span = message.Span;
        Pending? target = null;
        var isResponse = envelope.Kind == JsonRpcKind.Response;
        if (isResponse)
        {
            _byId.TryRemove(Encoding.UTF8.GetString(envelope.RawId(span)), out target);
        }
        else if (envelope.Kind == JsonRpcKind.Notification && envelope.MethodIs(span, "\"notifications/progress\""u8) && JsonRpcEnvelope.IsPresent(envelope.ParamsProgressToken))
        {
            _byProgressToken.TryGetValue(Encoding.UTF8.GetString(span[envelope.ParamsProgressToken]), out target);
        }
        else if (!envelope.MethodEndsWith(span, "list_changed\""u8) && !envelope.MethodIs(span, "\"notifications/resources/updated\""u8) && _byId.Count == 1)
        {
            target = _byId.Values.FirstOrDefault();
        }

        if (target is not null)
        {
            // Copied: the frame's buffer is not ours after the next read.
            target.Messages.Writer.TryWrite(new PendingMessage(message.ToArray(), isResponse));
            if (isResponse)
            {
                Forget(target);
                target.Messages.Writer.TryComplete();
            }

            return;
        }

        if (!isResponse)
        {
            await toEventLog(sessionId, message).ConfigureAwait(false);
        }
    }

    /// <summary>A POSTed request waiting for its answer, and the related messages before it.</summary>
    internal sealed class Pending(string id, string? progressToken)
    {
        public string Id => id;

        public string? ProgressToken => progressToken;

        public Channel<PendingMessage> Messages { get; } = Channel.CreateUnbounded<PendingMessage>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    }

    internal readonly record struct PendingMessage(ReadOnlyMemory<byte> Message, bool IsResponse);
}
