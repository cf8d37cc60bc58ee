using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Limits;

/// <summary>
/// Applies <see cref="LimitsOptions"/> and <see cref="TlsOptions"/> to Kestrel, and the per-IP
/// connection limit to every endpoint.
/// </summary>
internal sealed class KestrelSetup(IOptions<LimitsOptions> limits, IOptions<TlsOptions> tls, ConnectionsPerIpLimiter perIp)
    : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions options)
    {
        LimitsOptions l;
        TlsOptions t;
        try
        {
            l = limits.Value;
            t = tls.Value;
        }
        catch (OptionsValidationException)
        {
            // Kestrel reads its options while the host is built; start-up validation then stops the
            // service before it listens, listing this section's problems with every other section's.
            return;
        }
        options.AddServerHeader = false; // the upstream's Server header (if any) is forwarded; ours would duplicate it
        options.Limits.MaxRequestBodySize = l.MaxRequestBodySize;
        options.Limits.MaxRequestHeadersTotalSize = l.MaxRequestHeadersTotalSize;
        options.Limits.MaxRequestHeaderCount = l.MaxRequestHeaderCount;
        options.Limits.MaxRequestLineSize = l.MaxRequestLineSize;
        options.Limits.MaxConcurrentConnections = l.MaxConcurrentConnections;
        options.Limits.KeepAliveTimeout = l.KeepAliveTimeout;
        options.Limits.RequestHeadersTimeout = l.RequestHeadersTimeout;
        options.Limits.Http2.MaxStreamsPerConnection = l.Http2MaxStreamsPerConnection;

        // Every endpoint, including those from Kestrel:Endpoints configuration, counts connections per IP at accept.
        options.ConfigureEndpointDefaults(listen => listen.Use(perIp.Wrap));

        if (t.IsConfigured)
        {
            var certificate = Load(t);
            options.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate);
        }
    }

    private static X509Certificate2 Load(TlsOptions tls)
    {
        try
        {
            return tls.IsPkcs12
                ? X509CertificateLoader.LoadPkcs12FromFile(tls.CertificatePath!, tls.Password)
                : string.IsNullOrEmpty(tls.Password)
                    ? X509Certificate2.CreateFromPemFile(tls.CertificatePath!, tls.KeyPath)
                    : X509Certificate2.CreateFromEncryptedPemFile(tls.CertificatePath!, tls.Password, tls.KeyPath);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new InvalidOperationException(
                $"{TlsOptions.SectionName}: the certificate '{tls.CertificatePath}' could not be loaded ({ex.Message}). " +
                "Check that the key matches the certificate and that the password is right.", ex);
        }
    }
}
