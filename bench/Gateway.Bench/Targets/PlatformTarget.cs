using McpPlatform.Bench.Gateway.Client;

namespace McpPlatform.Bench.Gateway.Targets;

/// <summary>
/// McpPlatform's full path (edge → dispatcher → worker): Streamable HTTP at /mcp/echo with the bench's
/// API key or anonymously, or the legacy HTTP+SSE transport at /sse/echo with the key.
/// </summary>
public sealed class PlatformTarget(PlatformRun run, bool authenticated, bool legacySse = false) : Target
{
    public const string Main = "McpPlatform";
    public const string AuthOff = "McpPlatform, auth off";
    public const string Sse = "McpPlatform SSE";

    private HttpClient? _http;

    public override string Name => legacySse ? Sse : authenticated ? Main : AuthOff;

    public override IReadOnlyList<int> RootProcessIds => run.ProcessIds;

    public override bool IsAlive => run.IsAlive;

    public override (Uri Url, string? Bearer)? StreamableHttp => legacySse ? null : (new Uri(run.Gateway!, "/mcp/echo"), Bearer);

    private string? Bearer => authenticated ? run.ApiKey : null;

    /// <summary>The run is started by whoever owns it (once for both targets); this only opens a client.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _http = HttpClients.Create();
        return Task.CompletedTask;
    }

    protected override McpSession CreateSession() => legacySse
        ? new LegacySseSession(_http!, new Uri(run.Gateway!, "/sse/echo"), Bearer)
        : new StreamableHttpSession(_http!, new Uri(run.Gateway!, "/mcp/echo"), Bearer);

    public override ValueTask DisposeAsync()
    {
        _http?.Dispose();
        return ValueTask.CompletedTask;
    }
}
