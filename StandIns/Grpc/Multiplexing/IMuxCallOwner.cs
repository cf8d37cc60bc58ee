namespace McpPlatform.StandIns.Grpc.Multiplexing;

/// <summary>What a <see cref="MuxClientCall{TEvent}"/> needs from the stream it runs on.</summary>
internal interface IMuxCallOwner
{
    /// <summary>Stops routing frames to the call.</summary>
    void Forget(ulong callId);

    /// <summary>Tells the server to cancel the call.</summary>
    void SendCancel(ulong callId, string reason);
}
