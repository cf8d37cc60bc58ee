using System.Globalization;
using System.Security.Cryptography;
using McpPlatform.Gateway.Edge.Mcp.Transport;
using McpPlatform.Stores.Events;

namespace McpPlatform.Gateway.Edge.Mcp.Sse;

/// <summary>
/// A POST's answer: one JSON body when the response comes first, otherwise an SSE stream (priming event with
/// <c>retry:</c> for 2025-11-25 clients) that carries the related messages and ends with the response. Event ids are
/// <c>&lt;stream&gt;/&lt;ms&gt;-&lt;n&gt;</c> with a random stream name per POST: unique in the session and naming
/// their stream. A client that went away is not a cancellation: writes stop, the caller keeps draining upstream.
/// </summary>
internal sealed class PostStream(HttpContext http, string protocolVersion, TimeSpan retry)
{
    private readonly SseWriter _sse = new(http.Response);
    private readonly string _stream = NewStreamName();
    private readonly long _epoch = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    private int _sequence;

    /// <summary>True once the client is gone; later writes are skipped.</summary>
    public bool ClientGone { get; private set; }

    public bool IsSse => _sse.Started;

    /// <summary>A message related to the request (progress, logging, a server request): switches to SSE.</summary>
    public async ValueTask RelatedAsync(ReadOnlyMemory<byte> message)
    {
        if (ClientGone)
        {
            return;
        }

        try
        {
            await EnsureSseAsync().ConfigureAwait(false);
            await _sse.WriteEventAsync(NextId(), message.Span, null, http.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            ClientGone = true;
        }
    }

    /// <summary>The response: the JSON body (with <paramref name="status"/>), or the last SSE event.</summary>
    public async ValueTask ResponseAsync(ReadOnlyMemory<byte> message, int status = StatusCodes.Status200OK)
    {
        if (ClientGone)
        {
            return;
        }

        try
        {
            if (_sse.Started)
            {
                await _sse.WriteEventAsync(NextId(), message.Span, null, http.RequestAborted).ConfigureAwait(false);
            }
            else
            {
                await McpResults.JsonAsync(http, status, message).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            ClientGone = true;
        }
    }

    private async ValueTask EnsureSseAsync()
    {
        if (_sse.Started)
        {
            return;
        }

        await _sse.StartAsync(http.RequestAborted).ConfigureAwait(false);
        if (ProtocolVersions.Primes(protocolVersion))
        {
            await _sse.WriteEventAsync(NextId(), default, retry, http.RequestAborted).ConfigureAwait(false);
        }
    }

    private string NextId() =>
        SseEventId.Format(_stream, string.Create(CultureInfo.InvariantCulture, $"{_epoch}-{_sequence++}"));

    /// <summary>"p" and 72 random bits, base64url: no collision with "get" or another POST of the session.</summary>
    private static string NewStreamName()
    {
        Span<byte> bytes = stackalloc byte[9];
        RandomNumberGenerator.Fill(bytes);
        return "p" + Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');
    }
}
