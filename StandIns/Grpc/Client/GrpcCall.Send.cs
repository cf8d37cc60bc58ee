using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using Grpc.Core;
using McpPlatform.StandIns.Grpc.Framing;
using McpPlatform.StandIns.Grpc.Telemetry;

namespace McpPlatform.StandIns.Grpc.Client;

internal sealed partial class GrpcCall<TRequest, TResponse>
{
    private static readonly Version Http2 = HttpVersion.Version20;
    private static readonly TimeSpan MaxTimerDelay = TimeSpan.FromDays(30);

    private void Start(HttpContent content)
    {
        _startTimestamp = Stopwatch.GetTimestamp();
        string? timeout = null;
        if (_options.Deadline is { } deadline && deadline != DateTime.MaxValue)
        {
            var remaining = deadline.ToUniversalTime() - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                Finish(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"), Metadata.Empty);
                return;
            }

            timeout = GrpcProtocol.FormatTimeout(remaining);
            _cts.Token.UnsafeRegister(static s => ((GrpcCall<TRequest, TResponse>)s!).OnTokenCancelled(), this);

            // Timers take at most ~49 days; a deadline further away than that is only sent to the server.
            if (remaining < MaxTimerDelay)
            {
                _cts.CancelAfter(remaining);
            }
        }

        if (_options.CancellationToken.CanBeCanceled)
        {
            _userRegistration = _options.CancellationToken.UnsafeRegister(static s => ((GrpcCall<TRequest, TResponse>)s!).Cancel(), this);
        }

        // The call's span becomes the parent of HttpClient's, whose traceparent header carries it;
        // the caller's Activity.Current is restored because the call outlives this method.
        var previous = Activity.Current;
        _activity = GrpcTelemetry.StartActivity(_method, ActivityKind.Client);
        _sendTask = SendAsync(content, timeout);
        if (_activity is not null)
        {
            Activity.Current = previous;
        }
    }

    private void OnTokenCancelled()
    {
        if (!_disposed && !_options.CancellationToken.IsCancellationRequested)
        {
            _deadlineExceeded = true;
        }
    }

    private async Task SendAsync(HttpContent content, string? timeout)
    {
        try
        {
            var response = await SendWithFailoverAsync(content, timeout).ConfigureAwait(false);
            _response = response;
            if (IsFinished)
            {
                response.Dispose();
                return;
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                Finish(GrpcProtocol.StatusFromHttp((int)response.StatusCode), Metadata.Empty);
                return;
            }

            var headers = ReadMetadata(response.Headers.NonValidated);
            if (response.Headers.NonValidated.TryGetValues(GrpcProtocol.StatusHeader, out var statusValues))
            {
                // Trailers-only: the status (and trailers) came in the headers.
                _headers.TrySetResult(headers);
                response.Headers.NonValidated.TryGetValues(GrpcProtocol.MessageHeader, out var messageValues);
                Finish(GrpcProtocol.ParseStatus(First(statusValues), First(messageValues)), headers);
                return;
            }

            var contentType = response.Content.Headers.NonValidated.TryGetValues("Content-Type", out var types) ? First(types) : null;
            if (!GrpcProtocol.IsGrpcContentType(contentType))
            {
                Finish(new Status(StatusCode.Cancelled, $"Bad gRPC response. Invalid content-type value: {contentType}"), Metadata.Empty);
                return;
            }

            _headers.TrySetResult(headers);
            var stream = await response.Content.ReadAsStreamAsync(_cts.Token).ConfigureAwait(false);
            _reader = new MessageReader(PipeReader.Create(stream, ReaderOptions), _channel.Options.MaxReceiveMessageSize);
        }
        catch (Exception ex)
        {
            Finish(ResolveException(ex), Metadata.Empty);
        }
    }

    private async Task<HttpResponseMessage> SendWithFailoverAsync(HttpContent content, string? timeout)
    {
        var addresses = _channel.Addresses;
        var index = addresses.Pick();
        for (var attempt = 1; ; attempt++)
        {
            var request = CreateRequest(addresses[index], content, timeout);
            try
            {
                var response = await _channel.SendAsync(request, _cts.Token).ConfigureAwait(false);
                addresses.ReportSuccess(index);
                return response;
            }
            catch (HttpRequestException ex) when (IsConnectFailure(ex))
            {
                addresses.ReportFailure(index);

                // Nothing reached the server, so another address may take the call.
                var started = _streamingContent?.Started ?? false;
                if (attempt >= addresses.Count || started || _cts.IsCancellationRequested)
                {
                    throw;
                }

                index = addresses.Pick(exclude: index);
            }
        }
    }

    private HttpRequestMessage CreateRequest(Uri address, HttpContent content, string? timeout)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, _method.FullName))
        {
            Version = Http2,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        var headers = request.Headers;
        headers.TryAddWithoutValidation("te", "trailers");
        headers.TryAddWithoutValidation("user-agent", GrpcProtocol.UserAgent);
        if (timeout is not null)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, timeout);
        }

        if (_options.Headers is { Count: > 0 } metadata)
        {
            foreach (var entry in metadata)
            {
                headers.TryAddWithoutValidation(entry.Key, MetadataCodec.EncodeValue(entry));
            }
        }

        return request;
    }

    // Failures where the request cannot have been processed: no connection, or a connection the
    // server closed gracefully (GOAWAY NO_ERROR, e.g. a shutdown) before it took the new stream.
    internal static bool IsConnectFailure(HttpRequestException ex) =>
        ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError
        || ex.InnerException is HttpProtocolException { ErrorCode: 0 };

    private static string? First(System.Net.Http.Headers.HeaderStringValues values)
    {
        foreach (var value in values)
        {
            return value;
        }

        return null;
    }

    private static Metadata ReadMetadata(System.Net.Http.Headers.HttpHeadersNonValidated headers)
    {
        Metadata? metadata = null;
        foreach (var header in headers)
        {
            if (GrpcProtocol.IsReservedHeader(header.Key))
            {
                continue;
            }

            foreach (var value in header.Value)
            {
                MetadataCodec.AddHeader(metadata ??= [], header.Key, value);
            }
        }

        return metadata ?? Metadata.Empty;
    }
}
