using System.Net;
using System.Net.Http.Headers;

namespace McpPlatform.Bench.Gateway.Client;

/// <summary>
/// A Streamable HTTP session: every request a POST whose reply is JSON or an SSE stream carrying
/// the answer; the session id from initialize on every later request; DELETE on dispose.
/// </summary>
public sealed class StreamableHttpSession(HttpClient http, Uri endpoint, string? bearer) : McpSession
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private string? _sessionId;

    /// <summary>The HTTP status of the last initialize, for the auth checks.</summary>
    public HttpStatusCode? InitializeStatus { get; private set; }

    public override async Task InitializeAsync(CancellationToken cancellationToken)
    {
        using (var response = await PostAsync(JsonRpc.Initialize(1), cancellationToken).ConfigureAwait(false))
        {
            InitializeStatus = response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"initialize answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}");
            }
            _sessionId = response.Headers.TryGetValues("Mcp-Session-Id", out var values) ? values.First() : null;
            var answer = await ReadAnswerAsync(response, cancellationToken).ConfigureAwait(false)
                ?? throw new HttpRequestException("initialize: no answer in the reply");
            if (JsonRpc.ResponseId(answer) != 1)
            {
                throw new HttpRequestException("initialize: the answer has another id");
            }
        }
        using var initialized = await PostAsync(JsonRpc.Initialized, cancellationToken).ConfigureAwait(false);
        if (!initialized.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"notifications/initialized answered {(int)initialized.StatusCode}");
        }
    }

    protected override async Task<RawAnswer> SendAsync(long id, byte[] request, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await PostAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                return RawAnswer.None(CallOutcome.Failed($"HTTP {(int)response.StatusCode} {Shorten(body)}"));
            }
            var answer = await ReadAnswerAsync(response, cancellationToken).ConfigureAwait(false);
            return answer is null ? RawAnswer.None(CallOutcome.Lost("the reply ended without an answer")) : RawAnswer.Of(answer);
        }
        catch (HttpRequestException ex)
        {
            return RawAnswer.None(CallOutcome.Lost(ex.Message));
        }
        catch (IOException ex)
        {
            return RawAnswer.None(CallOutcome.Lost(ex.Message));
        }
    }

    private async Task<HttpResponseMessage> PostAsync(byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        Decorate(request);
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
    }

    private void Decorate(HttpRequestMessage request)
    {
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
        if (bearer is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + bearer);
        }
        if (_sessionId is not null)
        {
            request.Headers.TryAddWithoutValidation("Mcp-Session-Id", _sessionId);
            request.Headers.TryAddWithoutValidation("MCP-Protocol-Version", JsonRpc.ProtocolVersion);
        }
    }

    /// <summary>A JSON body is the answer; an SSE body is read until its first response (progress, logs and priming events skipped).</summary>
    private static async Task<byte[]?> ReadAnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return body.Length == 0 ? null : body;
        }
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var events = new SseReader(stream);
        while (await events.ReadDataAsync(cancellationToken).ConfigureAwait(false) is { } data)
        {
            if (JsonRpc.IsResponse(data))
            {
                return data;
            }
        }
        return null;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_sessionId is null)
        {
            return;
        }
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, endpoint);
            Decorate(request);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            using var response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            // A session the gateway already forgot (its process crashed) needs no goodbye.
        }
        _sessionId = null;
    }

    private static string Shorten(string text) => text.Length > 120 ? text[..120] + "…" : text;
}
