using System.Globalization;
using System.Security.Cryptography;
using McpPlatform.Gateway.Edge.Mcp.Transport;
using McpPlatform.Stores.Events;

namespace McpPlatform.Gateway.Edge.Mcp.Sse;

/// <summary>
/// A POST's answer: one JSON body when the response comes first, otherwise an SSE stream (priming event with
/// <c>retry:</c> for 2025-11-25 clients) that carries the related messages and ends with the response. Event ids are
/// <c>&lt;stream&gt;/&lt;ms&gt;-&lt;n&gt;</c> with a random stream name per POST: unique in the session and naming
/// their stream. A client that went away is not a cancellation: writes stop, the caller keeps draining upstream. With
/// a <paramref name="sessionId"/>, an SSE answer is also logged (<see cref="PostStreamLog"/>), before each write and
/// after the client left, so GET + <c>Last-Event-ID</c> can resume it on any replica; a JSON answer is never logged.
/// </summary>
internal sealed class PostStream(HttpContext http, string protocolVersion, TimeSpan retry, string? sessionId = null)
{
    private readonly SseWriter _sse = new(http.Response);
    private readonly string _stream = NewStreamName();
    private readonly long _epoch = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    private PostStreamLog? _log;
    private int _sequence;

    /// <summary>True once the client is gone; later writes are skipped (logging goes on).</summary>
    public bool ClientGone { get; private set; }

    public bool IsSse => _sse.Started;

    /// <summary>A message related to the request (progress, logging, a server request): switches to SSE.</summary>
    public async ValueTask RelatedAsync(ReadOnlyMemory<byte> message)
    {
        if (!_sse.Started)
        {
            if (ClientGone)
            {
                // The client left before it saw any id of this stream: there is nothing it could resume.
                return;
            }

            await GuardAsync(static self => self.EnsureSseAsync()).ConfigureAwait(false);
        }

        await EventAsync(message).ConfigureAwait(false);
    }

    /// <summary>The response: the JSON body (with <paramref name="status"/>), or the last SSE event.</summary>
    public async ValueTask ResponseAsync(ReadOnlyMemory<byte> message, int status = StatusCodes.Status200OK)
    {
        if (!_sse.Started)
        {
            if (!ClientGone)
            {
                try
                {
                    await McpResults.JsonAsync(http, status, message).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
                {
                    ClientGone = true;
                }
            }

            return;
        }

        await EventAsync(message).ConfigureAwait(false);
        if (_log is not null)
        {
            // Tells a resumer that already holds the response's id that the stream is over.
            await _log.AppendAsync(_stream, NextEntry(), ReadOnlyMemory<byte>.Empty).ConfigureAwait(false);
        }
    }

    private async ValueTask EventAsync(ReadOnlyMemory<byte> message)
    {
        var entry = NextEntry();
        if (_log is not null)
        {
            await _log.AppendAsync(_stream, entry, message).ConfigureAwait(false);
        }

        if (!ClientGone)
        {
            try
            {
                await _sse.WriteEventAsync(SseEventId.Format(_stream, entry), message.Span, null, http.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
            {
                ClientGone = true;
            }
        }
    }

    private async ValueTask EnsureSseAsync()
    {
        if (sessionId is not null)
        {
            _log = PostStreamLog.Create(http.RequestServices, sessionId);
        }

        await _sse.StartAsync(http.RequestAborted).ConfigureAwait(false);
        if (ProtocolVersions.Primes(protocolVersion))
        {
            var entry = NextEntry();
            if (_log is not null)
            {
                await _log.AppendAsync(_stream, entry, ReadOnlyMemory<byte>.Empty).ConfigureAwait(false);
            }

            await _sse.WriteEventAsync(SseEventId.Format(_stream, entry), default, retry, http.RequestAborted).ConfigureAwait(false);
        }
    }

    private async ValueTask GuardAsync(Func<PostStream, ValueTask> write)
    {
        try
        {
            await write(this).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            ClientGone = true;
        }
    }

    private string NextEntry() => string.Create(CultureInfo.InvariantCulture, $"{_epoch}-{_sequence++}");

    /// <summary>"p" and 72 random bits, base64url: no collision with "get" or another POST of the session.</summary>
    private static string NewStreamName()
    {
        Span<byte> bytes = stackalloc byte[9];
        RandomNumberGenerator.Fill(bytes);
        return "p" + Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');
    }
}
