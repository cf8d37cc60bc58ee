using McpPlatform.Worker.Host.Catalog;

namespace McpPlatform.Worker.Host.Pool;

/// <summary>
/// What the gRPC layer calls: lease a slot of a catalog server, send JSON-RPC through it, release it.
/// </summary>
/// <example>
/// Shared/tenant isolation, one call:
/// <code>
/// await using var lease = await pool.AcquireAsync("echo", tenant, sessionId: null, ct);
/// using var response = await lease.SendAsync(requestBytes, progressSink, ct);
/// // response.Json: the server's answer with the client's id, or a JSON-RPC error (response.Failure says why)
/// </code>
/// Session isolation: acquire once per MCP session (the same lease comes back for the same session id),
/// relay the client's initialize and every message through it, read <see cref="SlotLease.ServerMessages"/>,
/// and end it with <see cref="EndSessionAsync"/> (or let the idle timeout do it).
/// </example>
public interface IWorkerPool
{
    /// <summary>The catalog this pool serves.</summary>
    IReadOnlyDictionary<string, ServerDefinition> Catalog { get; }

    /// <summary>
    /// Waits (at most the server's AcquireTimeout) for a slot. Throws <see cref="WorkerPoolException"/>
    /// with <see cref="PoolError.UnknownServer"/>, <see cref="PoolError.Busy"/> or <see cref="PoolError.Draining"/>.
    /// </summary>
    /// <param name="server">A catalog name.</param>
    /// <param name="tenant">The authenticated tenant (never a client-chosen path).</param>
    /// <param name="sessionId">The MCP session id; required in session isolation, ignored otherwise.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    ValueTask<SlotLease> AcquireAsync(string server, string tenant, string? sessionId, CancellationToken cancellationToken);

    /// <summary>Session isolation: ends the session's lease and stops its process. No-op for unknown sessions.</summary>
    ValueTask EndSessionAsync(string server, string tenant, string sessionId, CancellationToken cancellationToken);

    /// <summary>
    /// Takes no new leases (<see cref="PoolError.Draining"/>), lets in-flight calls finish within
    /// <paramref name="grace"/>, then stops every process; returns the calls in flight when it began.
    /// </summary>
    Task<int> DrainAsync(TimeSpan grace, CancellationToken cancellationToken);

    /// <summary>Receives the server's list_changed / resources/updated notifications (a tenant's only, when given).</summary>
    IDisposable SubscribeNotifications(string server, string? tenant, IRelatedMessageSink sink);
}
