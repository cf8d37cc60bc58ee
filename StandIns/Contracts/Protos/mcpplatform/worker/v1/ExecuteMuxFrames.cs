using Grpc.Core;
using McpPlatform.Contracts.Common.V1;
using McpPlatform.StandIns.Grpc.Multiplexing;

namespace McpPlatform.Contracts.Worker.V1;

/// <summary>Worker.ExecuteMux's request frame as the generic multiplexer reads and builds it.</summary>
public sealed partial class ExecuteMuxRequest : IMuxRequestFrame<ExecuteMuxRequest, ExecuteRequest>
{
    MuxFrameKind IMuxRequestFrame<ExecuteMuxRequest, ExecuteRequest>.Kind => MuxFrames.Kind(FrameCase == FrameOneofCase.Start, FrameCase == FrameOneofCase.Cancel);

    ExecuteRequest? IMuxRequestFrame<ExecuteMuxRequest, ExecuteRequest>.StartRequest => FrameCase == FrameOneofCase.Start ? Start : null;

    MuxCallInfo IMuxRequestFrame<ExecuteMuxRequest, ExecuteRequest>.CallInfo => MuxFrames.Info(Context);

    static ExecuteMuxRequest IMuxRequestFrame<ExecuteMuxRequest, ExecuteRequest>.Start(ulong callId, ExecuteRequest request, MuxCallInfo info) =>
        new() { CallId = callId, Start = request, Context = MuxFrames.Context(info) };

    static ExecuteMuxRequest IMuxRequestFrame<ExecuteMuxRequest, ExecuteRequest>.Cancel(ulong callId, string reason) =>
        new() { CallId = callId, Cancel = new MuxCancel { Reason = reason } };
}

/// <summary>Worker.ExecuteMux's event frame as the generic multiplexer reads and builds it.</summary>
public sealed partial class ExecuteMuxEvent : IMuxEventFrame<ExecuteMuxEvent, ExecuteEvent>
{
    ExecuteEvent? IMuxEventFrame<ExecuteMuxEvent, ExecuteEvent>.Payload => FrameCase == FrameOneofCase.Event ? Event : null;

    Status? IMuxEventFrame<ExecuteMuxEvent, ExecuteEvent>.EndStatus => FrameCase == FrameOneofCase.End ? MuxFrames.Status(End) : null;

    static ExecuteMuxEvent IMuxEventFrame<ExecuteMuxEvent, ExecuteEvent>.ForEvent(ulong callId, ExecuteEvent payload) => new() { CallId = callId, Event = payload };

    static ExecuteMuxEvent IMuxEventFrame<ExecuteMuxEvent, ExecuteEvent>.ForEnd(ulong callId, Status status) => new() { CallId = callId, End = MuxFrames.End(status) };
}
