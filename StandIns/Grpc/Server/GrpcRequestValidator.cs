using Grpc.Core;
using McpPlatform.StandIns.Grpc.Framing;
using Microsoft.AspNetCore.Http;

namespace McpPlatform.StandIns.Grpc.Server;

/// <summary>Rejects requests that are not gRPC: wrong content type (415) or not HTTP/2 (426, with a gRPC status).</summary>
internal static class GrpcRequestValidator
{
    public static async ValueTask<bool> ValidateAsync(HttpContext http)
    {
        if (!GrpcProtocol.IsGrpcContentType(http.Request.ContentType))
        {
            await WriteErrorAsync(http, StatusCodes.Status415UnsupportedMediaType, StatusCode.Internal, $"Content-Type '{http.Request.ContentType}' is not supported.").ConfigureAwait(false);
            return false;
        }

        if (!HttpProtocol.IsHttp2(http.Request.Protocol) && !HttpProtocol.IsHttp3(http.Request.Protocol))
        {
            await WriteErrorAsync(http, StatusCodes.Status426UpgradeRequired, StatusCode.Internal, $"Request protocol '{http.Request.Protocol}' is not supported: gRPC needs HTTP/2.").ConfigureAwait(false);
            return false;
        }

        return true;
    }

    private static Task WriteErrorAsync(HttpContext http, int httpStatus, StatusCode grpcStatus, string message)
    {
        http.Response.StatusCode = httpStatus;
        http.Response.Headers[GrpcProtocol.StatusHeader] = ((int)grpcStatus).ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.Headers[GrpcProtocol.MessageHeader] = PercentEncoding.Encode(message);
        return Task.CompletedTask;
    }
}
