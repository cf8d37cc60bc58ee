namespace Grpc.Core;

/// <summary>What a handler knows about its call, and how it shapes the response's headers and trailers.</summary>
public abstract class ServerCallContext
{
    private Dictionary<object, object>? _userState;

    /// <summary>The full method name, <c>/service/method</c>.</summary>
    public string Method => MethodCore;

    /// <summary>The <c>:authority</c> of the request.</summary>
    public string Host => HostCore;

    /// <summary>The peer's address, e.g. <c>ipv4:127.0.0.1:5555</c>.</summary>
    public string Peer => PeerCore;

    /// <summary>The deadline the client set (<see cref="DateTime.MaxValue"/> for none).</summary>
    public DateTime Deadline => DeadlineCore;

    /// <summary>The request headers.</summary>
    public Metadata RequestHeaders => RequestHeadersCore;

    /// <summary>Cancelled when the client cancels, the deadline passes, or the connection drops.</summary>
    public CancellationToken CancellationToken => CancellationTokenCore;

    /// <summary>Trailers to send with the status.</summary>
    public Metadata ResponseTrailers => ResponseTrailersCore;

    /// <summary>The status to send when the handler returns normally.</summary>
    public Status Status
    {
        get => StatusCore;
        set => StatusCore = value;
    }

    /// <summary>Write options for the response stream.</summary>
    public WriteOptions? WriteOptions
    {
        get => WriteOptionsCore;
        set => WriteOptionsCore = value;
    }

    /// <summary>State that interceptors and handlers share for this call.</summary>
    public IDictionary<object, object> UserState => UserStateCore;

    /// <summary>Sends response headers now (before the first message).</summary>
    public Task WriteResponseHeadersAsync(Metadata responseHeaders) => WriteResponseHeadersAsyncCore(responseHeaders);

    /// <summary>See <see cref="Method"/>.</summary>
    protected abstract string MethodCore { get; }

    /// <summary>See <see cref="Host"/>.</summary>
    protected abstract string HostCore { get; }

    /// <summary>See <see cref="Peer"/>.</summary>
    protected abstract string PeerCore { get; }

    /// <summary>See <see cref="Deadline"/>.</summary>
    protected abstract DateTime DeadlineCore { get; }

    /// <summary>See <see cref="RequestHeaders"/>.</summary>
    protected abstract Metadata RequestHeadersCore { get; }

    /// <summary>See <see cref="CancellationToken"/>.</summary>
    protected abstract CancellationToken CancellationTokenCore { get; }

    /// <summary>See <see cref="ResponseTrailers"/>.</summary>
    protected abstract Metadata ResponseTrailersCore { get; }

    /// <summary>See <see cref="Status"/>.</summary>
    protected abstract Status StatusCore { get; set; }

    /// <summary>See <see cref="WriteOptions"/>.</summary>
    protected abstract WriteOptions? WriteOptionsCore { get; set; }

    /// <summary>See <see cref="UserState"/>.</summary>
    protected virtual IDictionary<object, object> UserStateCore => _userState ??= [];

    /// <summary>See <see cref="WriteResponseHeadersAsync"/>.</summary>
    protected abstract Task WriteResponseHeadersAsyncCore(Metadata responseHeaders);
}
