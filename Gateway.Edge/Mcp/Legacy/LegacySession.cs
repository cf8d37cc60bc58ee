using System.Threading.Channels;
using McpPlatform.Gateway.Edge.Access;
using McpPlatform.Gateway.Edge.Mcp.Sse;
using McpPlatform.Contracts.Dispatch.V1;

namespace McpPlatform.Gateway.Edge.Mcp.Legacy;

/// <summary>
/// A 2024-11-05 HTTP+SSE session on the replica that holds its stream: the stream is the session. Client messages
/// arrive through <see cref="Deliver"/> (a POST on this replica) or the session's event log (a POST on another one);
/// every server message goes out as <c>event: message</c> on the one stream, whatever it answers.
/// </summary>
internal sealed class LegacySession(string id, Caller caller, CatalogServer server, HttpContext http, CancellationToken ended)
{
    private readonly SseWriter _sse = new(http.Response);
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly Channel<byte[]> _local = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });

    public string Id => id;

    public Caller Caller => caller;

    public CatalogServer Server => server;

    /// <summary>The GET that holds the stream (alive as long as the session).</summary>
    public HttpContext Http => http;

    /// <summary>Cancelled when the stream ends (client gone, upstream session closed, gateway stopping).</summary>
    public CancellationToken Ended => ended;

    /// <summary>The revision agreed at <c>initialize</c> (2024-11-05 until then).</summary>
    public string ProtocolVersion { get; set; } = LegacyRevision.Version;

    /// <summary>Messages POSTed on this replica, in order.</summary>
    public ChannelReader<byte[]> Local => _local.Reader;

    /// <summary>A client message POSTed on this replica: no trip through the event log.</summary>
    public bool Deliver(byte[] message) => _local.Writer.TryWrite(message);

    public void Complete() => _local.Writer.TryComplete();

    public ValueTask StartAsync() => _sse.StartAsync(ended);

    /// <summary>The first event: where to POST (relative, so it resolves against the stream's own URL).</summary>
    public Task EndpointAsync(string url) => WriteAsync(url, "endpoint", default);

    public Task MessageAsync(ReadOnlyMemory<byte> message) => WriteAsync(null, "message", message);

    public async Task KeepAliveAsync()
    {
        await _writeGate.WaitAsync(ended).ConfigureAwait(false);
        try
        {
            await _sse.WriteKeepAliveAsync(ended).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>One event; relays running side by side write whole events, never interleaved lines.</summary>
    private async Task WriteAsync(string? text, string eventType, ReadOnlyMemory<byte> message)
    {
        await _writeGate.WaitAsync(ended).ConfigureAwait(false);
        try
        {
            var data = text is null ? message : System.Text.Encoding.UTF8.GetBytes(text);
            await _sse.WriteEventAsync(null, data.Span, null, ended, eventType).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }
}
