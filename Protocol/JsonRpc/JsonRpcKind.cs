namespace McpPlatform.Protocol.JsonRpc;

/// <summary>What kind of JSON-RPC message a buffer holds.</summary>
public enum JsonRpcKind
{
    /// <summary>Not one JSON-RPC 2.0 object (bad JSON, an array, a missing method and result, trailing data).</summary>
    Invalid,

    /// <summary>Has a method and an id: expects a response.</summary>
    Request,

    /// <summary>Has a method and no id.</summary>
    Notification,

    /// <summary>Has an id and a result or an error.</summary>
    Response,
}
