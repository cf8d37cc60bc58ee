using System.Globalization;
using McpPlatform.Bench.Gateway.Client;

namespace McpPlatform.Bench.Gateway.Targets;

/// <summary>An npm gateway (supergateway, mcp-proxy) run with node from bench/Gateway.Bench/node, wrapping the echo server.</summary>
public sealed class NodeGatewayTarget : Target
{
    private readonly string _name;
    private readonly Func<int, string[]> _arguments;
    private readonly string _path;
    private readonly bool _legacySse;
    private readonly string _logPath;
    private ChildProcess? _process;
    private HttpClient? _http;
    private Uri? _endpoint;

    private NodeGatewayTarget(string name, Func<int, string[]> arguments, string path, bool legacySse)
    {
        _name = name;
        _arguments = arguments;
        _path = path;
        _legacySse = legacySse;
        _logPath = Path.Combine(Path.GetTempPath(), $"gateway-bench-{name.Replace(' ', '-')}.log");
    }

    /// <summary>supergateway in stateful Streamable HTTP mode (a child process per session).</summary>
    public static NodeGatewayTarget Supergateway() => new("supergateway", port =>
        [Bin("supergateway"), "--stdio", $"dotnet {BenchPaths.EchoServer}", "--outputTransport", "streamableHttp", "--stateful",
         "--port", Text(port), "--logLevel", "none"], "/mcp", legacySse: false);

    /// <summary>supergateway in its default mode: the legacy HTTP+SSE transport over one shared child.</summary>
    public static NodeGatewayTarget SupergatewaySse() => new("supergateway SSE", port =>
        [Bin("supergateway"), "--stdio", $"dotnet {BenchPaths.EchoServer}", "--port", Text(port), "--logLevel", "none"], "/sse", legacySse: true);

    /// <summary>mcp-proxy serving Streamable HTTP only.</summary>
    public static NodeGatewayTarget McpProxy() => new("mcp-proxy", port =>
        [Bin("mcp-proxy"), "--port", Text(port), "--host", "127.0.0.1", "--server", "stream", "--", "dotnet", BenchPaths.EchoServer], "/mcp", legacySse: false);

    public override string Name => _name;

    public override IReadOnlyList<int> RootProcessIds => _process is null ? [] : [_process.Id];

    public override bool IsAlive => _process is { HasExited: false };

    public override (Uri Url, string? Bearer)? StreamableHttp => _legacySse || _endpoint is null ? null : (_endpoint, null);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var port = HttpClients.FreePort();
        _process = ChildProcess.Start("node", _arguments(port), BenchPaths.NodeDirectory, _logPath);
        await HttpClients.WaitListeningAsync(port, () => IsAlive, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        _http = HttpClients.Create();
        _endpoint = new Uri($"http://127.0.0.1:{Text(port)}{_path}");
    }

    protected override McpSession CreateSession() => _legacySse
        ? new LegacySseSession(_http!, _endpoint!)
        : new StreamableHttpSession(_http!, _endpoint!, bearer: null);

    public override async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        if (_process is not null)
        {
            // Children a gateway leaves behind on SIGTERM are ended too: no process outlives the bench.
            var tree = Measurement.ProcessTree.WithDescendants([_process.Id]);
            await _process.DisposeAsync().ConfigureAwait(false);
            foreach (var pid in tree)
            {
                try
                {
                    using var left = System.Diagnostics.Process.GetProcessById(pid);
                    left.Kill(entireProcessTree: true);
                }
                catch (ArgumentException)
                {
                }
                catch (InvalidOperationException)
                {
                }
            }
        }
    }

    private static string Bin(string package) => Path.Combine(BenchPaths.NodeDirectory, "node_modules", ".bin", package);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
