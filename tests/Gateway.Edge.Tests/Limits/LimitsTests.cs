using System.Net;
using System.Net.Sockets;
using System.Text;
using McpPlatform.Gateway.Edge.Tests.Forwarder;
using McpPlatform.Gateway.Edge.Tests.Support;
using Xunit.Abstractions;

namespace McpPlatform.Gateway.Edge.Tests.Limits;

[Collection(LimitsCollection.Name)]
public sealed class LimitsTests(LimitsFixture edge, ITestOutputHelper output) : IDisposable
{
    public void Dispose() => output.WriteLine(edge.Log());

    [Fact]
    public async Task ConnectionsPerClientIp_OverTheLimitClosed_OtherClientsServed()
    {
        // Client addresses of our own (all of 127.0.0.0/8 is loopback), so the orchestrator's probe connection doesn't count.
        using var first = await ConnectFromAsync("127.0.0.2");
        using var second = await ConnectFromAsync("127.0.0.2");
        Assert.Equal("HTTP/1.1 200 OK", await GetStatusLineAsync(first));
        Assert.Equal("HTTP/1.1 200 OK", await GetStatusLineAsync(second));

        Assert.Null(await GetOnNewConnectionAsync("127.0.0.2"));
        Assert.Equal("HTTP/1.1 200 OK", await GetOnNewConnectionAsync("127.0.0.3"));
        Assert.Equal("HTTP/1.1 200 OK", await GetStatusLineAsync(first));

        // A closed connection gives its slot back (the edge learns of the close asynchronously, hence the retries).
        first.Shutdown(SocketShutdown.Both);
        first.Close();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        string? status = null;
        while (status is null && !deadline.IsCancellationRequested)
        {
            status = await GetOnNewConnectionAsync("127.0.0.2");
        }
        Assert.Equal("HTTP/1.1 200 OK", status);
    }

    [Fact]
    public async Task TooManyRequestHeaders_Returns431_AtTheEdge()
    {
        using var client = new HttpClient(From("127.0.0.10")) { BaseAddress = edge.Gateway };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        for (var i = 0; i < 40; i++)
        {
            request.Headers.TryAddWithoutValidation($"X-Filler-{i}", "1");
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task UpstreamRefusesConnections_Returns502_ThenPassiveHealth503NamingTheService()
    {
        using var client = new HttpClient(From("127.0.0.11")) { BaseAddress = edge.Gateway };

        for (var i = 0; i < 2; i++)
        {
            using var refused = await client.GetAsync("/token");
            Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
            var problem = await ForwardingTests.ProblemAsync(refused);
            Assert.Equal("ConnectFailed", problem.GetProperty("error").GetString());
            Assert.Equal("identity", problem.GetProperty("service").GetString());
        }

        using var unavailable = await client.GetAsync("/token");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
        var unhealthy = await ForwardingTests.ProblemAsync(unavailable);
        Assert.Equal("NoAvailableDestinations", unhealthy.GetProperty("error").GetString());
        Assert.Contains("identity", unhealthy.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var other = await client.GetAsync("/me");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Tls_ServesHttp2_AndForwardsWithProtoHttps_AndForwardedHeader()
    {
        using var handler = From("127.0.0.12");
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && certificate.GetCertHashString() == edge.Certificate.GetCertHashString();
        using var client = new HttpClient(handler)
        {
            BaseAddress = edge.GatewayTls,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var response = await client.GetAsync("/me?x=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
        var echo = await Echo.ReadAsync(response);
        Assert.Equal("https", echo.Headers["X-Forwarded-Proto"]);
        Assert.Equal("127.0.0.12", echo.Headers["X-Forwarded-For"]);
        Assert.Equal($"for=127.0.0.12;proto=https;host=\"{edge.GatewayTls.Authority}\"", echo.Headers["Forwarded"]);
        Assert.Equal("/me", echo.Path);
    }

    /// <summary>
    /// A handler whose connections come from <paramref name="source"/>: this fixture allows two
    /// connections per IP, and each test gets an address of its own so that connections another
    /// test closed a moment ago (the edge learns of it asynchronously) are never counted against it.
    /// </summary>
    private static SocketsHttpHandler From(string source) => new()
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    /// <summary>The status line of a request on a new connection, or null when the edge closed (or reset) it.</summary>
    private async Task<string?> GetOnNewConnectionAsync(string source)
    {
        try
        {
            using var socket = await ConnectFromAsync(source);
            return await GetStatusLineAsync(socket);
        }
        catch (SocketException)
        {
            return null;
        }
    }

    private async Task<Socket> ConnectFromAsync(string source)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
        await socket.ConnectAsync(IPAddress.Loopback, edge.Gateway.Port);
        return socket;
    }

    /// <summary>The status line of <c>GET /health/live</c> on this connection, or null when the edge closed it.</summary>
    private static async Task<string?> GetStatusLineAsync(Socket socket)
    {
        try
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes("GET /health/live HTTP/1.1\r\nHost: edge\r\n\r\n"));
            var received = new StringBuilder();
            var buffer = new byte[4096];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                if (read == 0)
                {
                    return null;
                }
                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
            // Drain the small body (chunked or not) so the next request on this connection starts clean.
            var text = received.ToString();
            var headers = text[..text.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
            var lengthLine = headers.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
            bool Complete(string all) => lengthLine is null
                ? all.EndsWith("0\r\n\r\n", StringComparison.Ordinal)
                : all.Length - headers.Length - 4 >= int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            while (!Complete(received.ToString()))
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                if (read == 0)
                {
                    break;
                }
                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
            return headers[..headers.IndexOf("\r\n", StringComparison.Ordinal)];
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
