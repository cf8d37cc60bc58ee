namespace McpPlatform.Gateway.Edge.Limits;

/// <summary>
/// The certificate every <c>https://</c> Kestrel endpoint serves, from PEM files (certificate and
/// key) or a PKCS#12 file (with its password). Unset: no certificate is configured by the edge.
/// </summary>
/// <remarks>
/// <code>
/// "Kestrel": { "Endpoints": { "https": { "Url": "https://0.0.0.0:8443" } } },
/// "Edge": { "Tls": { "CertificatePath": "/certs/edge.crt", "KeyPath": "/certs/edge.key" } }
/// // or: "Edge": { "Tls": { "CertificatePath": "/certs/edge.pfx", "Password": "…" } }
/// </code>
/// </remarks>
public sealed class TlsOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Edge:Tls";

    /// <summary>A PEM certificate (chain) file, or a .pfx/.p12 file.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key file (PEM certificates only).</summary>
    public string? KeyPath { get; set; }

    /// <summary>The PKCS#12 password, or the password of an encrypted PEM key.</summary>
    public string? Password { get; set; }

    /// <summary>Whether a certificate is configured.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(CertificatePath);

    /// <summary>Whether the certificate is a PKCS#12 file.</summary>
    public bool IsPkcs12 => CertificatePath is { } path
        && (path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase));
}
