using Grpc.Core;
using McpPlatform.StandIns.Grpc.Client;

namespace Grpc.Net.Client;

/// <summary>
/// A channel to one gRPC address, or to several with client-side round robin that skips addresses
/// whose connections fail. Connections are HTTP/2, pooled by <see cref="SocketsHttpHandler"/> (more
/// than one per address when streams run out), kept alive with PINGs, and re-established on demand.
/// Create one per target and share it; clients built on it are cheap.
/// </summary>
public sealed class GrpcChannel : ChannelBase, IDisposable
{
    private readonly bool _disposeInvoker;
    private readonly CallInvoker _callInvoker;
    private readonly Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> _send;

    private GrpcChannel(IReadOnlyList<Uri> addresses, GrpcChannelOptions options)
        : base(string.Join(",", addresses.Select(a => a.Authority)))
    {
        Options = options;
        Addresses = new AddressBalancer(addresses);
        if (options.HttpClient is { } client)
        {
            // HttpClient.SendAsync would buffer the whole response: ask for headers only, so streams stream.
            Invoker = client;
            _send = (request, token) => client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
            _disposeInvoker = options.DisposeHttpClient;
        }
        else if (options.HttpHandler is { } handler)
        {
            Invoker = new HttpMessageInvoker(handler, options.DisposeHttpClient);
            _disposeInvoker = true;
        }
        else
        {
            Invoker = new HttpMessageInvoker(CreateHandler(options), disposeHandler: true);
            _disposeInvoker = true;
        }

        _send ??= Invoker.SendAsync;
        _callInvoker = new HttpClientCallInvoker(this);
    }

    /// <summary>The channel's options.</summary>
    internal GrpcChannelOptions Options { get; }

    internal HttpMessageInvoker Invoker { get; }

    internal Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => _send(request, cancellationToken);

    internal AddressBalancer Addresses { get; }

    /// <summary>Creates a channel to an address such as <c>http://127.0.0.1:5001</c> (h2c) or <c>https://host</c> (TLS).</summary>
    public static GrpcChannel ForAddress(string address) => ForAddress(new Uri(address), new GrpcChannelOptions());

    /// <summary>Creates a channel to an address with options.</summary>
    public static GrpcChannel ForAddress(string address, GrpcChannelOptions channelOptions) => ForAddress(new Uri(address), channelOptions);

    /// <summary>Creates a channel to an address.</summary>
    public static GrpcChannel ForAddress(Uri address) => ForAddress(address, new GrpcChannelOptions());

    /// <summary>Creates a channel to an address with options.</summary>
    public static GrpcChannel ForAddress(Uri address, GrpcChannelOptions channelOptions)
    {
        ArgumentNullException.ThrowIfNull(address);
        return ForAddresses([address], channelOptions);
    }

    /// <summary>
    /// Creates a channel that spreads calls round robin over several addresses, skipping (with
    /// exponential back-off) those whose connections fail. Not in grpc-dotnet, whose equivalent is a
    /// static resolver with a round-robin load-balancing config.
    /// </summary>
    public static GrpcChannel ForAddresses(IEnumerable<Uri> addresses, GrpcChannelOptions? channelOptions = null)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var list = addresses.ToArray();
        if (list.Length == 0)
        {
            throw new ArgumentException("At least one address is needed.", nameof(addresses));
        }

        foreach (var address in list)
        {
            if (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException($"Address '{address}' must be an absolute http:// or https:// URI.", nameof(addresses));
            }
        }

        return new GrpcChannel(list, channelOptions ?? new GrpcChannelOptions());
    }

    /// <inheritdoc />
    public override CallInvoker CreateCallInvoker() => _callInvoker;

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposeInvoker)
        {
            Invoker.Dispose();
        }
    }

    /// <inheritdoc />
    protected override Task ShutdownAsyncCore()
    {
        Dispose();
        return Task.CompletedTask;
    }

    private static SocketsHttpHandler CreateHandler(GrpcChannelOptions options) => new()
    {
        EnableMultipleHttp2Connections = true,
        KeepAlivePingDelay = options.KeepAlivePingDelay,
        KeepAlivePingTimeout = options.KeepAlivePingTimeout,
        KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
        PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        ConnectTimeout = options.ConnectTimeout,
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
    };
}
