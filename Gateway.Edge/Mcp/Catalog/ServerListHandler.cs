using System.Text.Json;
using McpPlatform.Contracts.Common.V1;
using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.Gateway.Edge.Access;
using McpPlatform.Gateway.Edge.Mcp.Transport;

namespace McpPlatform.Gateway.Edge.Mcp.Catalog;

/// <summary>
/// <c>GET /mcp</c>: the servers the caller may use, as JSON
/// (<c>{"servers":[{"name","title","description","revision","isolation","url"}]}</c>). A server is listed when the
/// caller's credentials (or its absence, for anonymous servers) pass for it and the policy allows <c>initialize</c>;
/// when none is, the first refusal is the answer (401 with its challenge for a missing or bad credential).
/// </summary>
internal sealed class ServerListHandler(ServerCatalog catalog, ICallerAuthenticator authenticator, ICallPolicy policy)
{
    public async Task HandleAsync(HttpContext http)
    {
        var ct = http.RequestAborted;
        var servers = await catalog.ListAsync(ct).ConfigureAwait(false);
        var allowed = new List<CatalogServer>();
        AccessDenial? firstDenial = null;
        foreach (var server in servers)
        {
            var auth = await authenticator.AuthenticateAsync(http, server.Name, ct).ConfigureAwait(false);
            var denial = auth.Caller is { } caller ? await policy.AuthorizeAsync(caller, server.Name, "initialize", null, ct).ConfigureAwait(false) : auth.Denial;
            if (denial is null)
            {
                allowed.Add(server);
            }
            else
            {
                firstDenial ??= denial;
            }
        }

        if (allowed.Count == 0 && firstDenial is not null)
        {
            await McpResults.DenialAsync(http, firstDenial, default, string.Empty).ConfigureAwait(false);
            return;
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("servers");
            foreach (var server in allowed)
            {
                writer.WriteStartObject();
                writer.WriteString("name", server.Name);
                writer.WriteString("title", server.Title);
                writer.WriteString("description", server.Description);
                writer.WriteString("revision", server.ProtocolVersion);
                writer.WriteString("isolation", server.Isolation switch { Isolation.Session => "session", Isolation.Tenant => "tenant", _ => "shared" });
                writer.WriteString("url", $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/mcp/{Uri.EscapeDataString(server.Name)}");
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        await McpResults.JsonAsync(http, StatusCodes.Status200OK, buffer.WrittenMemory).ConfigureAwait(false);
    }
}
