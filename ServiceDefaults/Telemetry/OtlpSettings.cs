using Microsoft.Extensions.Configuration;
using OpenTelemetry.Exporter;

namespace McpPlatform.ServiceDefaults.Telemetry;

/// <summary>
/// The standard OTLP variables, read from configuration (so environment variables, appsettings and
/// tests all work): <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> turns export on, <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>
/// is <c>grpc</c> (default) or <c>http/protobuf</c>, <c>OTEL_EXPORTER_OTLP_HEADERS</c> is passed on.
/// </summary>
internal sealed record OtlpSettings(Uri Endpoint, OtlpExportProtocol Protocol, string? Headers)
{
    public static OtlpSettings? From(IConfiguration configuration)
    {
        if (!Uri.TryCreate(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"], UriKind.Absolute, out var endpoint))
        {
            return null;
        }
        var protocol = configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] switch
        {
            null or "" or "grpc" => OtlpExportProtocol.Grpc,
            "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            var other => throw new InvalidOperationException(
                $"OTEL_EXPORTER_OTLP_PROTOCOL '{other}' is not supported: use 'grpc' or 'http/protobuf'."),
        };
        return new OtlpSettings(endpoint, protocol, configuration["OTEL_EXPORTER_OTLP_HEADERS"]);
    }

    /// <summary>Applies the settings; over HTTP each signal has its own path (<c>/v1/traces</c>, …).</summary>
    public void Apply(OtlpExporterOptions options, string signal)
    {
        options.Protocol = Protocol;
        options.Endpoint = Protocol == OtlpExportProtocol.HttpProtobuf
            ? new Uri(Endpoint, Endpoint.AbsolutePath.TrimEnd('/') + "/v1/" + signal)
            : Endpoint;
        if (Headers is not null)
        {
            options.Headers = Headers;
        }
    }
}
