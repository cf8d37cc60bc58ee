using System.Text;
using Google.Protobuf;
using Grpc.Core;
using McpPlatform.Contracts.Dispatch.V1;

namespace McpPlatform.Dispatcher.Grpc.Tests.Infrastructure;

/// <summary>Builds Relay requests and collects their events.</summary>
public static class Calls
{
    public static Route Route(string server = "echo", string tenant = "tenant-a", int planMax = 0, string plan = "pro") => new()
    {
        Server = server,
        TenantId = tenant,
        PrincipalId = "user-" + tenant,
        SessionId = "session-" + tenant,
        ProtocolVersion = "2025-06-18",
        PlanId = plan,
        PlanMaxConcurrency = planMax,
    };

    public static RelayRequest Tool(Route route, int id, string tool, int ms = 0) => new()
    {
        Route = route,
        Message = ByteString.CopyFrom(Encoding.UTF8.GetBytes($$$"""{"jsonrpc":"2.0","id":{{{id}}},"method":"tools/call","params":{"name":"{{{tool}}}","arguments":{"ms":{{{ms}}}""" + "}}}")),
        Method = "tools/call",
        Tool = tool,
    };

    public static RelayRequest List(Route route, string id) => new()
    {
        Route = route,
        Message = ByteString.CopyFrom(Encoding.UTF8.GetBytes($$$"""{"jsonrpc":"2.0","id":"{{{id}}}","method":"tools/list","params":{}}""")),
        Method = "tools/list",
    };

    public static async Task<List<RelayEvent>> RelayAsync(Dispatch.DispatchClient client, RelayRequest request, TimeSpan? timeout = null)
    {
        using var call = client.Relay(request, deadline: DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30)));
        var events = new List<RelayEvent>();
        await foreach (var item in call.ResponseStream.ReadAllAsync())
        {
            events.Add(item);
        }

        return events;
    }

    public static string Text(this ByteString message) => message.ToStringUtf8();
}
