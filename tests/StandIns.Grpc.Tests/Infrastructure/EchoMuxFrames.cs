using Grpc.Core;
using McpPlatform.Contracts.Common.V1;
using McpPlatform.StandIns.Grpc.Multiplexing;

namespace McpPlatform.StandIns.Grpc.Tests.Protos;

/// <summary>The test service's mux request frame, shaped like RelayMuxRequest.</summary>
public sealed partial class EchoMuxRequest : IMuxRequestFrame<EchoMuxRequest, EchoRequest>
{
    MuxFrameKind IMuxRequestFrame<EchoMuxRequest, EchoRequest>.Kind => MuxFrames.Kind(FrameCase == FrameOneofCase.Start, FrameCase == FrameOneofCase.Cancel);

    EchoRequest? IMuxRequestFrame<EchoMuxRequest, EchoRequest>.StartRequest => FrameCase == FrameOneofCase.Start ? Start : null;

    MuxCallInfo IMuxRequestFrame<EchoMuxRequest, EchoRequest>.CallInfo => MuxFrames.Info(Context);

    static EchoMuxRequest IMuxRequestFrame<EchoMuxRequest, EchoRequest>.Start(ulong callId, EchoRequest request, MuxCallInfo info) =>
        new() { CallId = callId, Start = request, Context = MuxFrames.Context(info) };

    static EchoMuxRequest IMuxRequestFrame<EchoMuxRequest, EchoRequest>.Cancel(ulong callId, string reason) =>
        new() { CallId = callId, Cancel = new MuxCancel { Reason = reason } };
}

/// <summary>The test service's mux event frame, shaped like RelayMuxEvent.</summary>
public sealed partial class EchoMuxEvent : IMuxEventFrame<EchoMuxEvent, EchoResponse>
{
    EchoResponse? IMuxEventFrame<EchoMuxEvent, EchoResponse>.Payload => FrameCase == FrameOneofCase.Event ? Event : null;

    Status? IMuxEventFrame<EchoMuxEvent, EchoResponse>.EndStatus => FrameCase == FrameOneofCase.End ? MuxFrames.Status(End) : null;

    static EchoMuxEvent IMuxEventFrame<EchoMuxEvent, EchoResponse>.ForEvent(ulong callId, EchoResponse payload) => new() { CallId = callId, Event = payload };

    static EchoMuxEvent IMuxEventFrame<EchoMuxEvent, EchoResponse>.ForEnd(ulong callId, Status status) => new() { CallId = callId, End = MuxFrames.End(status) };
}
