namespace McpPlatform.Worker.Host.Pool;

/// <summary>
/// Why a call was answered by the pool instead of the server. Each has its JSON-RPC error code
/// (see <see cref="JsonRpcErrors"/>), so a client can tell a hung tool from a crashed one.
/// </summary>
public enum RpcFailure
{
    /// <summary>The server answered (its answer may itself be a JSON-RPC error).</summary>
    None = 0,

    /// <summary>-32001: the call ran past the server's CallTimeout; the process was killed and is restarting.</summary>
    Timeout,

    /// <summary>-32002: the process exited or was killed while the call was in flight.</summary>
    ProcessExited,

    /// <summary>-32003: the server broke the stdio protocol (malformed JSON, an oversized line); it was restarted.</summary>
    ProtocolViolation,

    /// <summary>-32004: the process could not be started or did not complete initialize.</summary>
    StartFailed,

    /// <summary>-32005: the pool or session is stopping or ended; retry elsewhere or re-initialize.</summary>
    Stopped,

    /// <summary>-32800: the client cancelled the request (notifications/cancelled).</summary>
    Cancelled,
}
