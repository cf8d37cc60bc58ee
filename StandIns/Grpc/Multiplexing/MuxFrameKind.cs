namespace McpPlatform.StandIns.Grpc.Multiplexing;

/// <summary>What a client-to-server frame of a multiplexed stream asks for.</summary>
public enum MuxFrameKind
{
    /// <summary>Neither start nor cancel: a malformed frame, answered with an end frame (INVALID_ARGUMENT).</summary>
    None,

    /// <summary>Starts a call.</summary>
    Start,

    /// <summary>Cancels a call.</summary>
    Cancel,
}
