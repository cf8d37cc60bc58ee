namespace McpPlatform.StandIns.Grpc.Multiplexing;

/// <summary>How a <see cref="MultiplexedClient{TRequestFrame, TEventFrame, TRequest, TEvent}"/> spreads calls over streams.</summary>
public sealed class MultiplexedClientOptions
{
    /// <summary>
    /// Long-lived streams per target (default 2). One stream's frames are read and written by one loop each side, so
    /// a second stream lets both cores work; more rarely helps. 1 to 64.
    /// </summary>
    public int StreamsPerTarget { get; set; } = 2;

    /// <summary>The span name of each call (e.g. <c>mcpplatform.dispatch.v1.Dispatch/Relay</c>), as a per-call RPC's span would be named.</summary>
    public string CallName { get; set; } = "mux";

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        if (StreamsPerTarget is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(StreamsPerTarget), StreamsPerTarget, "StreamsPerTarget must be between 1 and 64.");
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(CallName);
    }
}
