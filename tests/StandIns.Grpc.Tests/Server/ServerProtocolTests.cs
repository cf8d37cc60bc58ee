using System.Net;
using System.Net.Http.Headers;
using McpPlatform.StandIns.Grpc.Tests.Infrastructure;

namespace McpPlatform.StandIns.Grpc.Tests.Server;

/// <summary>Our server against hand-made HTTP/2 requests: what a well-behaved client never sends.</summary>
public sealed class ServerProtocolTests : IAsyncLifetime
{
    private GrpcTestServer _server = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync() => _server = await GrpcTestServer.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task CompressedFlagWithoutGrpcEncoding_EndsCallWithInternal()
    {
        byte[] frame = [1, 0, 0, 0, 2, 0x0A, 0x00];

        using var response = await SendAsync(frame);

        Assert.Equal("13", await GrpcStatusAsync(response));
    }

    [Fact]
    public async Task UnsupportedGrpcEncoding_IsUnimplementedAndNamesIdentity()
    {
        using var response = await SendAsync([0, 0, 0, 0, 0], request => request.Headers.Add("grpc-encoding", "gzip"));

        Assert.Equal("12", await GrpcStatusAsync(response));
        Assert.Equal("identity", response.Headers.GetValues("grpc-accept-encoding").Single());
    }

    [Fact]
    public async Task ZeroLengthRequestMessage_IsAValidEmptyRequest()
    {
        using var response = await SendAsync([0, 0, 0, 0, 0]);

        Assert.Equal("0", await GrpcStatusAsync(response));
    }

    [Fact]
    public async Task NonGrpcContentType_Is415()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_server.Address, "/mcpplatform.test.v1.Echo/Unary"))
        {
            Content = new StringContent("{}", MediaTypeHeaderValue.Parse("application/json")),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task MalformedTimeout_IsRejected()
    {
        using var response = await SendAsync([0, 0, 0, 0, 0], request => request.Headers.TryAddWithoutValidation("grpc-timeout", "soon"));

        Assert.Equal("13", await GrpcStatusAsync(response));
    }

    [Fact]
    public async Task LargestPossibleTimeout_IsAccepted()
    {
        using var response = await SendAsync([0, 0, 0, 0, 0], request => request.Headers.TryAddWithoutValidation("grpc-timeout", "99999999H"));

        Assert.Equal("0", await GrpcStatusAsync(response));
    }

    private async Task<HttpResponseMessage> SendAsync(byte[] body, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_server.Address, "/mcpplatform.test.v1.Echo/Unary"))
        {
            Content = new ByteArrayContent(body),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        configure?.Invoke(request);
        return await _http.SendAsync(request);
    }

    private static async Task<string?> GrpcStatusAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await response.Content.ReadAsByteArrayAsync();
        return response.Headers.TryGetValues("grpc-status", out var inHeaders) ? inHeaders.Single()
            : response.TrailingHeaders.TryGetValues("grpc-status", out var inTrailers) ? inTrailers.Single()
            : null;
    }
}
