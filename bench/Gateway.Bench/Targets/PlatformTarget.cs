using McpPlatform.Bench.Gateway.Client;

namespace McpPlatform.Bench.Gateway.Targets;

/// <summary>McpPlatform's full path (edge → dispatcher → worker) at /mcp/echo, with the development API key or anonymously.</summary>
public sealed class PlatformTarget(PlatformRun run, bool authenticated) : Target
{
    private HttpClient? _http;

    public override string Name => authenticated ? "McpPlatform" : "McpPlatform, auth off";

    public override IReadOnlyList<int> RootProcessIds => run.ProcessIds;

    public override bool IsAlive => run.IsAlive;

    public override (Uri Url, string? Bearer)? StreamableHttp => (new Uri(run.Gateway!, "/mcp/echo"), authenticated ? run.ApiKey : null);

    /// <summary>The run is started by whoever owns it (once for both targets); this only opens a client.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _http = HttpClients.Create();
        return Task.CompletedTask;
    }

    protected override McpSession CreateSession() =>
        new StreamableHttpSession(_http!, new Uri(run.Gateway!, "/mcp/echo"), authenticated ? run.ApiKey : null);

    public override ValueTask DisposeAsync()
    {
        _http?.Dispose();
        return ValueTask.CompletedTask;
    }
}
