using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace McpPlatform.StandIns.Grpc.Server;

/// <summary>The parent of a server span: ASP.NET Core's request activity when there is one, else the <c>traceparent</c> header.</summary>
internal static class ServerTraceParent
{
    public static ActivityContext Read(HttpContext http)
    {
        if (Activity.Current is { } current)
        {
            return current.Context;
        }

        var headers = http.Request.Headers;
        var traceParent = headers["traceparent"].ToString();
        return traceParent.Length > 0 && ActivityContext.TryParse(traceParent, headers["tracestate"].ToString(), isRemote: true, out var context)
            ? context
            : default;
    }
}
