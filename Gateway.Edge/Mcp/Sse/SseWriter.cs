using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;

namespace McpPlatform.Gateway.Edge.Mcp.Sse;

/// <summary>
/// Writes Server-Sent Events straight into the response pipe: <c>event: message</c>-less events (the MCP default),
/// ids, <c>retry:</c>, and keepalive comments. A message with line breaks becomes several <c>data:</c> lines, so the
/// client's parser rebuilds it exactly.
/// </summary>
internal sealed class SseWriter(HttpResponse response)
{
    private readonly PipeWriter _pipe = response.BodyWriter;

    public bool Started { get; private set; }

    /// <summary>Sends the SSE headers (200, text/event-stream, no caching, no proxy buffering).</summary>
    public async ValueTask StartAsync(CancellationToken cancellationToken)
    {
        if (Started)
        {
            return;
        }

        Started = true;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache, no-transform";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One event; <paramref name="data"/> empty gives the priming event's empty <c>data:</c> line; <paramref name="eventType"/> only for the legacy transport's <c>endpoint</c>/<c>message</c>.</summary>
    public ValueTask<FlushResult> WriteEventAsync(string? id, ReadOnlySpan<byte> data, TimeSpan? retry, CancellationToken cancellationToken, string? eventType = null)
    {
        if (eventType is not null)
        {
            Write("event: "u8);
            WriteAscii(eventType);
            Write("\n"u8);
        }

        if (id is not null)
        {
            Write("id: "u8);
            WriteAscii(id);
            Write("\n"u8);
        }

        if (retry is { } value)
        {
            Write("retry: "u8);
            WriteAscii(((long)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
            Write("\n"u8);
        }

        do
        {
            var end = data.IndexOfAny((byte)'\n', (byte)'\r');
            var line = end < 0 ? data : data[..end];
            Write("data: "u8);
            Write(line);
            Write("\n"u8);
            data = end < 0 ? default : data[(end + (data[end] == '\r' && end + 1 < data.Length && data[end + 1] == '\n' ? 2 : 1))..];
        }
        while (!data.IsEmpty);

        Write("\n"u8);
        return _pipe.FlushAsync(cancellationToken);
    }

    /// <summary>A comment line: ignored by clients, keeps proxies and load balancers from closing an idle stream.</summary>
    public ValueTask<FlushResult> WriteKeepAliveAsync(CancellationToken cancellationToken)
    {
        Write(": keepalive\n\n"u8);
        return _pipe.FlushAsync(cancellationToken);
    }

    private void Write(ReadOnlySpan<byte> bytes) => _pipe.Write(bytes);

    private void WriteAscii(string text)
    {
        var span = _pipe.GetSpan(text.Length);
        var written = Encoding.ASCII.GetBytes(text, span);
        _pipe.Advance(written);
    }
}
