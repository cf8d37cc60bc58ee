using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using McpPlatform.Gateway.Edge.Tests.Support;
using McpPlatform.Hosting;
using McpPlatform.Hosting.Orchestration;
using McpPlatform.TestSupport;

namespace McpPlatform.Gateway.Edge.Tests.Limits;

/// <summary>
/// A second Gateway.Edge process with tight limits: two connections per client IP, 30 request headers, a TLS endpoint
/// (PEM certificate and key) speaking HTTP/1.1 and HTTP/2, the RFC 7239 Forwarded header, no active probes, and an identity
/// service whose only replica refuses connections.
/// </summary>
public sealed class LimitsFixture : IAsyncLifetime
{
    private readonly string _certificates = Directory.CreateTempSubdirectory("edge-tls-").FullName;
    private ServiceUnderTest? _service;

    public BufferedOutput Output { get; } = new();

    public Upstream AccessApi { get; private set; } = null!;

    public ClosedPort DownIdentity { get; } = new();

    public X509Certificate2 Certificate { get; private set; } = null!;

    public Uri Gateway { get; private set; } = null!;

    public Uri GatewayTls { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        AccessApi = await Upstream.StartAsync("access");
        var (certificatePath, keyPath) = WriteSelfSignedPem();
        var tlsPort = PortAllocator.Next();
        _service = await ServiceUnderTest.StartAsync(Output, builder => builder
            .AddProject("gateway-edge", "Gateway.Edge/Gateway.Edge.csproj")
            .WithEnvironment("services__identity__http__0", DownIdentity.Url.ToString())
            .WithEnvironment("services__access-api__http__0", AccessApi.Url.ToString())
            .WithEnvironment("Edge__Health__Active__Enabled", "false")
            .WithEnvironment("Edge__Forwarder__AddForwardedHeader", "true")
            .WithEnvironment("Edge__Health__Passive__ConsecutiveFailures", "2")
            .WithEnvironment("Edge__Limits__MaxConnectionsPerClientIp", "2")
            .WithEnvironment("Edge__Limits__MaxRequestHeaderCount", "30")
            .WithEnvironment("Edge__Tls__CertificatePath", certificatePath)
            .WithEnvironment("Edge__Tls__KeyPath", keyPath)
            .WithEnvironment("Kestrel__Endpoints__https__Url", $"https://127.0.0.1:{tlsPort}")
            .WithEnvironment("Kestrel__Endpoints__https__Protocols", "Http1AndHttp2"));
        Gateway = _service.App.GetEndpoint("gateway-edge");
        GatewayTls = new Uri($"https://127.0.0.1:{tlsPort}/");
    }

    public async Task DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
        await AccessApi.DisposeAsync();
        DownIdentity.Dispose();
        Certificate?.Dispose();
        Directory.Delete(_certificates, recursive: true);
    }

    public string Log() => string.Join(Environment.NewLine, Output.Lines.TakeLast(80));

    private (string Certificate, string Key) WriteSelfSignedPem()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        Certificate = X509CertificateLoader.LoadCertificate(created.RawData);
        var certificatePath = Path.Combine(_certificates, "edge.crt");
        var keyPath = Path.Combine(_certificates, "edge.key");
        File.WriteAllText(certificatePath, created.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }
}

[CollectionDefinition(Name)]
public sealed class LimitsCollection : ICollectionFixture<LimitsFixture>
{
    public const string Name = "limits";
}
