using Grpc.Core;

namespace McpPlatform.StandIns.Grpc.Multiplexing;

/// <summary>
/// A server-to-client frame of a multiplexed stream (e.g. <c>RelayMuxEvent</c>): a call id plus one of the call's
/// events or its end (status). Implemented by the generated message in a partial class next to its .proto.
/// </summary>
/// <typeparam name="TSelf">The frame message.</typeparam>
/// <typeparam name="TEvent">What one call streams back (e.g. <c>RelayEvent</c>).</typeparam>
public interface IMuxEventFrame<TSelf, TEvent>
    where TSelf : class, IMuxEventFrame<TSelf, TEvent>
    where TEvent : class
{
    /// <summary>The call the frame belongs to.</summary>
    ulong CallId { get; }

    /// <summary>The event, or null on an end frame.</summary>
    TEvent? Payload { get; }

    /// <summary>The call's final status on an end frame, else null.</summary>
    Status? EndStatus { get; }

    /// <summary>An event frame.</summary>
    static abstract TSelf ForEvent(ulong callId, TEvent payload);

    /// <summary>An end frame.</summary>
    static abstract TSelf ForEnd(ulong callId, Status status);
}
