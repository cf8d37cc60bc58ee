namespace McpPlatform.StandIns.Grpc.Multiplexing;

/// <summary>
/// What HTTP/2 headers carry for a call of its own (grpc-timeout, traceparent, tracestate), sent on a multiplexed
/// call's start frame instead. The timeout is relative so the two hosts' clocks need not agree.
/// </summary>
/// <param name="Timeout">The caller's remaining time when it sent the start frame; null means no deadline.</param>
/// <param name="TraceParent">The caller's W3C traceparent, or null.</param>
/// <param name="TraceState">The caller's W3C tracestate, or null.</param>
public readonly record struct MuxCallInfo(TimeSpan? Timeout, string? TraceParent, string? TraceState);
