using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Limits;

/// <summary>Lists every problem of <see cref="LimitsOptions"/> and <see cref="TlsOptions"/> at once.</summary>
internal sealed class LimitsOptionsValidator : IValidateOptions<LimitsOptions>, IValidateOptions<TlsOptions>
{
    public ValidateOptionsResult Validate(string? name, LimitsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        const string key = LimitsOptions.SectionName;
        Positive(options.MaxRequestBodySize, "MaxRequestBodySize");
        Positive(options.MaxRequestHeadersTotalSize, "MaxRequestHeadersTotalSize");
        Positive(options.MaxRequestHeaderCount, "MaxRequestHeaderCount");
        Positive(options.MaxRequestLineSize, "MaxRequestLineSize");
        Positive(options.MaxConcurrentConnections, "MaxConcurrentConnections");
        Positive(options.Http2MaxStreamsPerConnection, "Http2MaxStreamsPerConnection");
        if (options.MaxConnectionsPerClientIp < 0)
        {
            problems.Add($"{key}:MaxConnectionsPerClientIp must be 0 (unlimited) or more (got {options.MaxConnectionsPerClientIp}).");
        }
        if (options.KeepAliveTimeout <= TimeSpan.Zero)
        {
            problems.Add($"{key}:KeepAliveTimeout must be positive (got {options.KeepAliveTimeout}).");
        }
        if (options.RequestHeadersTimeout <= TimeSpan.Zero)
        {
            problems.Add($"{key}:RequestHeadersTimeout must be positive (got {options.RequestHeadersTimeout}).");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);

        void Positive(long? value, string setting)
        {
            if (value is <= 0)
            {
                problems.Add($"{key}:{setting} must be positive or unset (got {value}).");
            }
        }
    }

    public ValidateOptionsResult Validate(string? name, TlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        const string key = TlsOptions.SectionName;
        if (!options.IsConfigured)
        {
            if (!string.IsNullOrWhiteSpace(options.KeyPath))
            {
                problems.Add($"{key}:KeyPath is set but {key}:CertificatePath is not.");
            }
        }
        else
        {
            if (!File.Exists(options.CertificatePath))
            {
                problems.Add($"{key}:CertificatePath '{options.CertificatePath}' does not exist.");
            }
            if (options.IsPkcs12 && !string.IsNullOrWhiteSpace(options.KeyPath))
            {
                problems.Add($"{key}:KeyPath is for PEM certificates; a .pfx/.p12 file carries its own key.");
            }
            if (!options.IsPkcs12 && string.IsNullOrWhiteSpace(options.KeyPath))
            {
                problems.Add($"{key}:KeyPath is required with a PEM certificate (or use a .pfx/.p12 file).");
            }
            else if (!options.IsPkcs12 && !File.Exists(options.KeyPath))
            {
                problems.Add($"{key}:KeyPath '{options.KeyPath}' does not exist.");
            }
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
