namespace Grpc.AspNetCore.Server;

/// <summary>Options of the gRPC server (bound by <c>services.AddGrpc(o =&gt; ...)</c>).</summary>
public class GrpcServiceOptions
{
    /// <summary>Largest request message accepted; larger ones end the call with RESOURCE_EXHAUSTED. Default 4 MiB; null for no limit.</summary>
    public int? MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest response message sent; larger ones end the call with RESOURCE_EXHAUSTED. Default: no limit.</summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>When true, a handler exception's type and message go to the client in <c>grpc-message</c>. Default false.</summary>
    public bool EnableDetailedErrors { get; set; }

    /// <summary>When true, calls to unknown services are not answered by gRPC (they fall through as 404). Default false.</summary>
    public bool IgnoreUnknownServices { get; set; }
}
