namespace McpPlatform.StandIns.Grpc.Multiplexing;

/// <summary>
/// A client-to-server frame of a multiplexed stream (e.g. <c>RelayMuxRequest</c>): a call id plus a start (the
/// call's request and <see cref="MuxCallInfo"/>) or a cancel. Implemented by the generated message in a partial
/// class next to its .proto, so the multiplexer stays generic and every RPC keeps its own typed contract.
/// </summary>
/// <typeparam name="TSelf">The frame message.</typeparam>
/// <typeparam name="TRequest">The request of one call (e.g. <c>RelayRequest</c>).</typeparam>
public interface IMuxRequestFrame<TSelf, TRequest>
    where TSelf : class, IMuxRequestFrame<TSelf, TRequest>
    where TRequest : class
{
    /// <summary>The call the frame is for; chosen by the client, unique on its stream, never 0.</summary>
    ulong CallId { get; }

    /// <summary>Start, cancel, or neither (malformed).</summary>
    MuxFrameKind Kind { get; }

    /// <summary>The call's request on a start frame, else null.</summary>
    TRequest? StartRequest { get; }

    /// <summary>The call's deadline and trace context on a start frame.</summary>
    MuxCallInfo CallInfo { get; }

    /// <summary>A start frame.</summary>
    static abstract TSelf Start(ulong callId, TRequest request, MuxCallInfo info);

    /// <summary>A cancel frame.</summary>
    static abstract TSelf Cancel(ulong callId, string reason);
}
