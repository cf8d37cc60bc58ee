using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using McpPlatform.StandIns.Grpc.Multiplexing;

namespace McpPlatform.Contracts.Common.V1;

/// <summary>Conversions between the shared mux messages (common.proto) and the multiplexer's types, used by every mux frame.</summary>
public static class MuxFrames
{
    /// <summary>Which part of the frame's oneof is set.</summary>
    public static MuxFrameKind Kind(bool start, bool cancel) => start ? MuxFrameKind.Start : cancel ? MuxFrameKind.Cancel : MuxFrameKind.None;

    /// <summary>A start frame's context; an absent or negative timeout means no deadline.</summary>
    public static MuxCallInfo Info(MuxCallContext? context) => context is null
        ? default
        : new MuxCallInfo(
            context.Timeout is { } timeout && timeout.ToTimeSpan() is var span && span >= TimeSpan.Zero ? span : null,
            context.Traceparent.Length > 0 ? context.Traceparent : null,
            context.Tracestate.Length > 0 ? context.Tracestate : null);

    /// <summary>The context sent with a start frame.</summary>
    public static MuxCallContext Context(MuxCallInfo info) => new()
    {
        Timeout = info.Timeout is { } timeout ? Duration.FromTimeSpan(timeout) : null,
        Traceparent = info.TraceParent ?? string.Empty,
        Tracestate = info.TraceState ?? string.Empty,
    };

    /// <summary>An end frame's status.</summary>
    public static Status Status(MuxEnd end) => new((StatusCode)end.StatusCode, end.Detail);

    /// <summary>The end frame for a status.</summary>
    public static MuxEnd End(Status status) => new() { StatusCode = (int)status.StatusCode, Detail = status.Detail };
}
