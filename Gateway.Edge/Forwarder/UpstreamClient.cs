using System.Net;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Forwarder;

/// <summary>
/// The one connection pool the edge forwards through. Not an <c>IHttpClientFactory</c> client on
/// purpose: ServiceDefaults gives every factory client retries, timeouts and endpoint rewriting,
/// and a proxy must instead stream, never retry a body, never follow redirects, keep cookies or
/// decompress, and leave timing to the activity timeout.
/// </summary>
internal sealed class UpstreamClient : IDisposable
{
    public UpstreamClient(IOptions<ForwarderOptions> options)
    {
        var o = options.Value;
        Invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = o.ConnectTimeout,
            EnableMultipleHttp2Connections = true,
            // An abandoned response (the client left) may be an endless stream: close its connection
            // at once rather than read on in the hope of reusing it, so the upstream learns now.
            MaxResponseDrainSize = 0,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5), // follow replicas that move behind a DNS name
        }, disposeHandler: true);
        var http2 = o.UpstreamHttpVersion is "2" or "2.0";
        Version = http2 ? HttpVersion.Version20 : HttpVersion.Version11;
        // HTTP/2 to a cleartext upstream only works with prior knowledge, hence "exact".
        VersionPolicy = http2 ? HttpVersionPolicy.RequestVersionExact : HttpVersionPolicy.RequestVersionOrLower;
    }

    public HttpMessageInvoker Invoker { get; }

    public Version Version { get; }

    public HttpVersionPolicy VersionPolicy { get; }

    public void Dispose() => Invoker.Dispose();
}
