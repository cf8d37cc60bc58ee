namespace McpPlatform.StandIns.Grpc.Server;

/// <summary>Proves <c>AddGrpc</c> ran, and remembers what has been mapped so shared endpoints are mapped once.</summary>
internal sealed class GrpcMarkerService
{
    public HashSet<string> MappedServices { get; } = new(StringComparer.Ordinal);

    public bool FallbackMapped { get; set; }
}
