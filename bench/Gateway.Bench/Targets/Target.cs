using McpPlatform.Bench.Gateway.Client;

namespace McpPlatform.Bench.Gateway.Targets;

/// <summary>Something the bench measures: it serves MCP sessions over the echo server and owns a set of processes.</summary>
public abstract class Target : IAsyncDisposable
{
    /// <summary>The column heading.</summary>
    public abstract string Name { get; }

    /// <summary>False for the direct stdio client, whose only process is the server (nothing to count).</summary>
    public virtual bool HasOwnProcesses => true;

    /// <summary>False when killing the server cannot be survived by design (direct stdio).</summary>
    public virtual bool HasCrashScenario => true;

    /// <summary>The Streamable HTTP endpoint and bearer for the TypeScript SDK cross-check; null when the target has none.</summary>
    public virtual (Uri Url, string? Bearer)? StreamableHttp => null;

    /// <summary>The processes to measure (their descendants are found at each sample).</summary>
    public abstract IReadOnlyList<int> RootProcessIds { get; }

    public abstract Task StartAsync(CancellationToken cancellationToken);

    /// <summary>A new, not yet initialized session.</summary>
    protected abstract McpSession CreateSession();

    /// <summary>Creates and initializes a session (what "session setup" times).</summary>
    public async Task<McpSession> OpenSessionAsync(CancellationToken cancellationToken)
    {
        var session = CreateSession();
        try
        {
            await session.InitializeAsync(cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>True while the target's main process runs.</summary>
    public abstract bool IsAlive { get; }

    public abstract ValueTask DisposeAsync();
}
