namespace McpPlatform.Protocol.JsonRpc;

/// <summary>
/// JSON-RPC error codes: the standard ones and the platform's own, in the implementation-defined server range
/// (-32000 to -32099). Every platform error also names its cause in <c>error.data.reason</c>.
/// </summary>
public static class JsonRpcErrorCodes
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int InternalError = -32603;

    /// <summary>The call ran past its timeout; the process was killed and its slot respawned.</summary>
    public const int Timeout = -32001;

    /// <summary>The server process exited (crash, kill, memory ceiling) while the call ran.</summary>
    public const int ProcessExited = -32002;

    /// <summary>The server wrote something that is not JSON-RPC.</summary>
    public const int ProtocolViolation = -32003;

    /// <summary>The server process could not be started.</summary>
    public const int StartFailed = -32004;

    /// <summary>The worker stopped (drain grace period over) before the call finished.</summary>
    public const int Stopped = -32005;

    /// <summary>Not admitted now (queue full or timed out, plan concurrency, no worker): retry after a while.</summary>
    public const int Busy = -32006;

    /// <summary>A rate limit or quota refused the call.</summary>
    public const int RateLimited = -32007;

    /// <summary>The caller's credentials or scopes do not allow the call.</summary>
    public const int Unauthorized = -32008;

    /// <summary>The request was cancelled (MCP's <c>notifications/cancelled</c> or a client disconnect).</summary>
    public const int RequestCancelled = -32800;
}
