using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using McpPlatform.Redis.Tests.Infrastructure;

namespace McpPlatform.Redis.Tests.Client;

public sealed class TlsTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mcp-redis-tls-").FullName;
    private X509Certificate2? _certificate;
    private RedisServer? _server;

    public async Task InitializeAsync()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=redis-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        var certFile = Path.Combine(_directory, "redis.crt");
        var keyFile = Path.Combine(_directory, "redis.key");
        await File.WriteAllTextAsync(certFile, _certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());
        _server = await RedisServer.StartTlsAsync("--tls-cert-file", certFile, "--tls-key-file", keyFile, "--tls-auth-clients", "no");
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _certificate?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task TrustedCertificate_ConnectsOverTls()
    {
        var options = RedisOptions.Parse($"{_server!.EndPoint},ssl=true,sslHost=localhost");
        options.CertificateValidation = (_, certificate, _, errors) =>
            errors == SslPolicyErrors.RemoteCertificateChainErrors && certificate?.GetCertHashString() == _certificate!.GetCertHashString();

        await using var redis = await RedisMultiplexer.ConnectAsync(options);
        var key = RedisFixture.UniqueKey();
        await redis.GetDatabase().StringSetAsync(key, "over tls");

        Assert.Equal("over tls", (string?)await redis.GetDatabase().StringGetAsync(key));
    }

    [Fact]
    public async Task UntrustedCertificate_FailsToConnect()
    {
        var error = await Assert.ThrowsAsync<RedisConnectionException>(() =>
            RedisMultiplexer.ConnectAsync($"{_server!.EndPoint},ssl=true,sslHost=localhost,connectRetry=1"));

        Assert.Contains(_server!.EndPoint, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlainTextClientOnTlsPort_FailsToConnect()
    {
        await Assert.ThrowsAsync<RedisConnectionException>(() =>
            RedisMultiplexer.ConnectAsync($"{_server!.EndPoint},connectRetry=1,connectTimeout=1000"));
    }
}
