using Grpc.Core;
using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.Dispatcher.Grpc.Registry;

namespace McpPlatform.Dispatcher.Grpc.Catalog;

/// <summary>
/// mcpplatform.dispatch.v1.Catalog: the servers this replica's live workers registered, for the gateway's
/// <c>GET /mcp</c> and its choice between Relay and Session. Served from the in-memory pool: no worker is called.
/// </summary>
internal sealed class CatalogService(WorkerPool pool) : McpPlatform.Contracts.Dispatch.V1.Catalog.CatalogBase
{
    public override Task<ListServersResponse> ListServers(ListServersRequest request, ServerCallContext context)
    {
        var servers = new Dictionary<string, CatalogServer>(StringComparer.Ordinal);
        // Ordered by worker id so every replica and every call picks the same entry when workers disagree.
        foreach (var worker in pool.Workers.OrderBy(w => w.Id, StringComparer.Ordinal))
        {
            if (worker.Draining)
            {
                continue;
            }

            foreach (var entry in worker.Registration.Catalog)
            {
                if (servers.TryGetValue(entry.Name, out var known))
                {
                    known.Workers++;
                    continue;
                }

                servers[entry.Name] = new CatalogServer
                {
                    Name = entry.Name,
                    Title = entry.Title,
                    Description = entry.Description,
                    ProtocolVersion = entry.ProtocolVersion,
                    Isolation = entry.Isolation,
                    Workers = 1,
                };
            }
        }

        var response = new ListServersResponse();
        response.Servers.AddRange(servers.Values.OrderBy(s => s.Name, StringComparer.Ordinal));
        return Task.FromResult(response);
    }
}
