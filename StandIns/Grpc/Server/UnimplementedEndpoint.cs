using Grpc.AspNetCore.Server;
using McpPlatform.StandIns.Grpc.Framing;
using Microsoft.AspNetCore.Http;

namespace McpPlatform.StandIns.Grpc.Server;

/// <summary>Answers gRPC calls to unknown services and methods with UNIMPLEMENTED (trailers-only).</summary>
internal static class UnimplementedEndpoint
{
    public const string Pattern = "/{unimplementedService}/{unimplementedMethod}";

    public static RequestDelegate Create(GrpcMarkerService marker, GrpcServiceOptions options) => http =>
    {
        if (!GrpcProtocol.IsGrpcContentType(http.Request.ContentType))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        var service = http.Request.RouteValues["unimplementedService"] as string ?? string.Empty;
        var known = marker.MappedServices.Contains(service);
        if (!known && options.IgnoreUnknownServices)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = GrpcProtocol.ContentType;
        http.Response.Headers[GrpcProtocol.StatusHeader] = "12";
        http.Response.Headers[GrpcProtocol.MessageHeader] = known ? "Method is unimplemented." : "Service is unimplemented.";
        return Task.CompletedTask;
    };
}
