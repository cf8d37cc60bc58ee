namespace McpPlatform.Hosting.ApplicationModel;

/// <summary>The HTTP protocols an endpoint serves.</summary>
public enum EndpointProtocol
{
    /// <summary>HTTP/1.1 (REST, health, metrics, SSE).</summary>
    Http1,

    /// <summary>Cleartext HTTP/2 with prior knowledge (gRPC).</summary>
    Http2,
}

/// <summary>A named endpoint of a project; its port is chosen when the application starts.</summary>
/// <param name="Name">The endpoint's name, e.g. <c>http</c> or <c>grpc</c>.</param>
/// <param name="Protocol">What the endpoint serves.</param>
public sealed record EndpointAnnotation(string Name, EndpointProtocol Protocol);
