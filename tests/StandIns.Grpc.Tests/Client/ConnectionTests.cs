using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using McpPlatform.StandIns.Grpc.Tests.Infrastructure;
using McpPlatform.StandIns.Grpc.Tests.Protos;

namespace McpPlatform.StandIns.Grpc.Tests.Client;

public sealed class ConnectionTests
{
    [Fact]
    public async Task Tls_CallsSucceedOverHttpsWithAlpnH2()
    {
        using var certificate = CreateCertificate();
        await using var server = await GrpcTestServer.StartAsync(certificate: certificate);
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == certificate.GetCertHashString();
        using var channel = GrpcChannel.ForAddress($"https://127.0.0.1:{server.Port}", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });

        var response = await new Echo.EchoClient(channel).UnaryAsync(new EchoRequest { Payload = ByteString.CopyFromUtf8("tls") });

        Assert.Equal("tls", response.Payload.ToStringUtf8());
    }

    [Fact]
    public async Task ServerRestart_ChannelReconnectsOnNextCall()
    {
        var server = await GrpcTestServer.StartAsync();
        var port = server.Port;
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new Echo.EchoClient(channel);
        await client.UnaryAsync(new EchoRequest());

        await server.DisposeAsync();
        var down = await Assert.ThrowsAsync<RpcException>(async () => await client.UnaryAsync(new EchoRequest()));
        await using var restarted = await GrpcTestServer.StartAsync(port: port);
        var response = await client.UnaryAsync(new EchoRequest { Payload = ByteString.CopyFromUtf8("back") });

        Assert.Equal(StatusCode.Unavailable, down.StatusCode);
        Assert.Equal("back", response.Payload.ToStringUtf8());
    }

    [Fact]
    public async Task RoundRobin_SpreadsCallsOverHealthyServersAndSkipsAStoppedOne()
    {
        await using var first = await GrpcTestServer.StartAsync();
        var second = await GrpcTestServer.StartAsync();
        using var channel = GrpcChannel.ForAddresses([first.Address, second.Address]);
        var client = new Echo.EchoClient(channel);

        for (var i = 0; i < 10; i++)
        {
            await client.UnaryAsync(new EchoRequest { Key = "spread" });
        }

        var secondCalls = second.Calls.Writes("spread");
        await second.DisposeAsync();
        for (var i = 0; i < 10; i++)
        {
            await client.UnaryAsync(new EchoRequest { Key = "after-stop" });
        }

        Assert.Equal(5, first.Calls.Writes("spread"));
        Assert.Equal(5, secondCalls);
        Assert.Equal(10, first.Calls.Writes("after-stop"));
    }

    [Fact]
    public async Task ChannelOnAnHttpClient_StreamsWithoutBuffering()
    {
        await using var server = await GrpcTestServer.StartAsync();
        using var http = new HttpClient();
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { HttpClient = http });
        using var call = new Echo.EchoClient(channel).Bidi();

        for (var i = 0; i < 3; i++)
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Payload = ByteString.CopyFromUtf8("p" + i) });
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Equal("p" + i, call.ResponseStream.Current.Payload.ToStringUtf8());
        }

        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }
}
