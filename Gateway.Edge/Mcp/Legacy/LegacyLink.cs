using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using McpPlatform.Contracts.Common.V1;
using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.Gateway.Edge.Mcp.Relay;

namespace McpPlatform.Gateway.Edge.Mcp.Legacy;

/// <summary>
/// A session-isolation server behind a legacy stream: one Dispatch.Session stream held by the replica that holds the
/// SSE stream. Unlike Streamable HTTP nothing needs routing: every server message (responses, server requests,
/// notifications) goes on the session's one SSE stream, so the link just forwards both ways, unchanged.
/// </summary>
internal sealed class LegacyLink(AsyncDuplexStreamingCall<SessionClientFrame, SessionServerFrame> call)
{
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    /// <summary>Opens the session upstream (admission and a leased slot); null with the busy answer when not admitted.</summary>
    public static async Task<(LegacyLink? Link, Busy? Busy)> OpenAsync(DispatcherClient dispatcher, McpPlatform.Contracts.Common.V1.Route route, TimeSpan idleTimeout, CancellationToken cancellationToken)
    {
        var call = dispatcher.Dispatch.Session(cancellationToken: cancellationToken);
        try
        {
            await call.RequestStream.WriteAsync(new SessionClientFrame
            {
                Open = new SessionOpen { Route = route, Resume = false, IdleTimeout = Duration.FromTimeSpan(idleTimeout) },
            }, cancellationToken).ConfigureAwait(false);
            if (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false) && call.ResponseStream.Current.FrameCase == SessionServerFrame.FrameOneofCase.Opened)
            {
                return (new LegacyLink(call), null);
            }

            var busy = call.ResponseStream.Current?.Busy;
            call.Dispose();
            return (null, busy);
        }
        catch (RpcException)
        {
            call.Dispose();
            throw;
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

    /// <summary>Forwards every server message until the session ends upstream; returns why (null: the stream broke).</summary>
    public async Task<SessionClosed?> RunAsync(Func<ReadOnlyMemory<byte>, Task> onMessage, CancellationToken cancellationToken)
    {
        try
        {
            while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                var frame = call.ResponseStream.Current;
                if (frame.FrameCase == SessionServerFrame.FrameOneofCase.Closed)
                {
                    return frame.Closed;
                }

                if (frame.FrameCase == SessionServerFrame.FrameOneofCase.Message)
                {
                    await onMessage(frame.Message.Memory).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is RpcException or OperationCanceledException or IOException)
        {
        }

        return null;
    }

    /// <summary>Ends the session upstream (its stream ended): the close frame releases the slot.</summary>
    public async Task CloseAsync(string reason)
    {
        await _writeGate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            await call.RequestStream.WriteAsync(new SessionClientFrame { Close = new SessionClose { Reason = reason } }, CancellationToken.None).ConfigureAwait(false);
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RpcException or InvalidOperationException or OperationCanceledException or IOException)
        {
        }
        finally
        {
            _writeGate.Release();
            call.Dispose();
        }
    }
}
