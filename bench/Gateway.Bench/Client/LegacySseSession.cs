using System.Net.Http.Headers;

namespace McpPlatform.Bench.Gateway.Client;

/// <summary>
/// The 2024-11-05 HTTP+SSE transport: a GET stream that first names the message endpoint, then
/// carries every answer; requests are POSTed to that endpoint and answered 202.
/// </summary>
public sealed class LegacySseSession(HttpClient http, Uri sseEndpoint, string? bearer = null) : McpSession
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly PendingAnswers _answers = new();
    private readonly CancellationTokenSource _stop = new();
    private Uri? _messages;
    private Task? _reading;

    public override async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var endpointNamed = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        _reading = ReadStreamAsync(endpointNamed, _stop.Token);
        _messages = await endpointNamed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        var answer = await SendAsync(1, JsonRpc.Initialize(1), cancellationToken).ConfigureAwait(false);
        if (answer.Message is null)
        {
            throw new HttpRequestException($"initialize: {answer.Failure}");
        }
        await PostAsync(JsonRpc.Initialized, cancellationToken).ConfigureAwait(false);
    }

    protected override async Task<RawAnswer> SendAsync(long id, byte[] request, CancellationToken cancellationToken)
    {
        var answer = _answers.Expect(id);
        try
        {
            var failure = await PostAsync(request, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                _answers.Forget(id);
                return RawAnswer.None(failure.Value);
            }
            return await answer.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _answers.Forget(id);
            throw;
        }
    }

    private async Task<CallOutcome?> PostAsync(byte[] body, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _messages) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = Json;
            Authorize(request);
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? null : CallOutcome.Failed($"HTTP {(int)response.StatusCode}");
        }
        catch (HttpRequestException ex)
        {
            return CallOutcome.Lost(ex.Message);
        }
    }

    private async Task ReadStreamAsync(TaskCompletionSource<Uri> endpointNamed, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, sseEndpoint);
            request.Headers.TryAddWithoutValidation("Accept", "text/event-stream");
            Authorize(request);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            await using var events = new SseReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
            while (await events.ReadDataAsync(cancellationToken).ConfigureAwait(false) is { } data)
            {
                if (events.EventName == "endpoint")
                {
                    endpointNamed.TrySetResult(new Uri(sseEndpoint, System.Text.Encoding.UTF8.GetString(data)));
                }
                else
                {
                    _answers.Deliver(data);
                }
            }
            endpointNamed.TrySetException(new HttpRequestException("the SSE stream ended before naming its endpoint"));
            _answers.FailAll(CallOutcome.Lost("the SSE stream ended"));
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            endpointNamed.TrySetException(ex);
            _answers.FailAll(CallOutcome.Lost("the SSE stream failed: " + ex.Message));
        }
    }

    private void Authorize(HttpRequestMessage request)
    {
        if (bearer is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + bearer);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_reading is not null)
        {
            await _reading.ConfigureAwait(false);
        }
        _stop.Dispose();
    }
}
