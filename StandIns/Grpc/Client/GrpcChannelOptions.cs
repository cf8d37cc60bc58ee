namespace Grpc.Net.Client;

/// <summary>Options of a <see cref="GrpcChannel"/>.</summary>
public sealed class GrpcChannelOptions
{
    /// <summary>Largest response message accepted; larger ones fail the call with RESOURCE_EXHAUSTED. Default 4 MiB; null for no limit.</summary>
    public int? MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest request message sent; larger ones fail the call with RESOURCE_EXHAUSTED. Default: no limit.</summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>
    /// The handler to send requests with (for example one carrying service-endpoint resolution or
    /// client certificates). When null the channel creates a <see cref="SocketsHttpHandler"/> with
    /// HTTP/2 multiple connections and keepalive pings from the options below.
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>An HttpClient to send requests with; takes precedence over <see cref="HttpHandler"/>.</summary>
    public HttpClient? HttpClient { get; set; }

    /// <summary>Whether disposing the channel disposes <see cref="HttpHandler"/>/<see cref="HttpClient"/>. Default false.</summary>
    public bool DisposeHttpClient { get; set; }

    /// <summary>When true, a cancelled call throws <see cref="OperationCanceledException"/> instead of RpcException(CANCELLED). Default false.</summary>
    public bool ThrowOperationCanceledOnCancellation { get; set; }

    /// <summary>Interval of HTTP/2 PING frames on idle connections (our addition; used when the channel creates the handler). Default 60 s.</summary>
    public TimeSpan KeepAlivePingDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a PING may go unanswered before the connection is dropped (our addition). Default 20 s.</summary>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Connection timeout (our addition; used when the channel creates the handler). Default 5 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
