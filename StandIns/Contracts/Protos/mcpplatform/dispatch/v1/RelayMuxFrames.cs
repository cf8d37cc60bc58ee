using Grpc.Core;
using McpPlatform.Contracts.Common.V1;
using McpPlatform.StandIns.Grpc.Multiplexing;

namespace McpPlatform.Contracts.Dispatch.V1;

/// <summary>Dispatch.RelayMux's request frame as the generic multiplexer reads and builds it.</summary>
public sealed partial class RelayMuxRequest : IMuxRequestFrame<RelayMuxRequest, RelayRequest>
{
    MuxFrameKind IMuxRequestFrame<RelayMuxRequest, RelayRequest>.Kind => MuxFrames.Kind(FrameCase == FrameOneofCase.Start, FrameCase == FrameOneofCase.Cancel);

    RelayRequest? IMuxRequestFrame<RelayMuxRequest, RelayRequest>.StartRequest => FrameCase == FrameOneofCase.Start ? Start : null;

    MuxCallInfo IMuxRequestFrame<RelayMuxRequest, RelayRequest>.CallInfo => MuxFrames.Info(Context);

    static RelayMuxRequest IMuxRequestFrame<RelayMuxRequest, RelayRequest>.Start(ulong callId, RelayRequest request, MuxCallInfo info) =>
        new() { CallId = callId, Start = request, Context = MuxFrames.Context(info) };

    static RelayMuxRequest IMuxRequestFrame<RelayMuxRequest, RelayRequest>.Cancel(ulong callId, string reason) =>
        new() { CallId = callId, Cancel = new MuxCancel { Reason = reason } };
}

/// <summary>Dispatch.RelayMux's event frame as the generic multiplexer reads and builds it.</summary>
public sealed partial class RelayMuxEvent : IMuxEventFrame<RelayMuxEvent, RelayEvent>
{
    RelayEvent? IMuxEventFrame<RelayMuxEvent, RelayEvent>.Payload => FrameCase == FrameOneofCase.Event ? Event : null;

    Status? IMuxEventFrame<RelayMuxEvent, RelayEvent>.EndStatus => FrameCase == FrameOneofCase.End ? MuxFrames.Status(End) : null;

    static RelayMuxEvent IMuxEventFrame<RelayMuxEvent, RelayEvent>.ForEvent(ulong callId, RelayEvent payload) => new() { CallId = callId, Event = payload };

    static RelayMuxEvent IMuxEventFrame<RelayMuxEvent, RelayEvent>.ForEnd(ulong callId, Status status) => new() { CallId = callId, End = MuxFrames.End(status) };
}
