namespace McpPlatform.Worker.Host.Catalog;

/// <summary>How far a server's processes are shared between callers.</summary>
public enum IsolationMode
{
    /// <summary>Any slot serves any tenant and session; for stateless servers. The host performs the handshake and remaps ids.</summary>
    Shared,

    /// <summary>As <see cref="Shared"/>, but a process only ever serves one tenant, with that tenant's workspace and environment.</summary>
    Tenant,

    /// <summary>A slot is leased to one MCP session for its whole life; the client's handshake and server-to-client requests flow through.</summary>
    Session,
}
