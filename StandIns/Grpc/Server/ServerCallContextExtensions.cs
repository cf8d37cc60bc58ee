using McpPlatform.StandIns.Grpc.Server;
using Microsoft.AspNetCore.Http;

namespace Grpc.Core;

/// <summary>ASP.NET Core access from a call context.</summary>
public static class ServerCallContextExtensions
{
    /// <summary>The <see cref="HttpContext"/> of the call (for the user, connection and features).</summary>
    public static HttpContext GetHttpContext(this ServerCallContext serverCallContext) =>
        serverCallContext is HttpContextServerCallContext call
            ? call.HttpContext
            : throw new InvalidOperationException("This call context does not come from the ASP.NET Core gRPC server.");
}
