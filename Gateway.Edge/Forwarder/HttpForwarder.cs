using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Forwarder;

/// <summary>
/// Streams a request to an upstream and its response back, with no buffering either way, and
/// names every failure instead of throwing it.
/// </summary>
internal sealed class HttpForwarder(UpstreamClient upstream, IOptions<ForwarderOptions> options, TimeProvider time) : IHttpForwarder
{
    private static readonly UriCreationOptions RawTarget = new() { DangerousDisablePathAndQueryCanonicalization = true };

    public async ValueTask<ForwarderResult> SendAsync(HttpContext context, Uri destination, TimeSpan activityTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(destination);

        // 1. Only the activity timeout may cut a forwarded exchange: Kestrel's minimum data rates would
        //    end a slow upload or a quiet SSE reader, which is exactly what an MCP stream looks like.
        if (context.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } requestRate)
        {
            requestRate.MinDataRate = null;
        }
        if (context.Features.Get<IHttpMinResponseDataRateFeature>() is { } responseRate)
        {
            responseRate.MinDataRate = null;
        }
        using var activity = new ActivityTimeout(activityTimeout, time, cancellationToken);

        // 2. The upstream request: method, target, headers, X-Forwarded-*, and the body as a stream.
        using var request = CreateRequest(context, destination, activity);
        var content = request.Content as StreamingRequestContent;

        // 3. Send, and wait for the response headers only (HttpMessageInvoker never buffers content).
        var started = time.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await upstream.Invoker.SendAsync(request, activity.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            return new ForwarderResult(ClassifySendFailure(ex, content, activity), content?.Error ?? ex, null, time.GetElapsedTime(started));
        }
        var latency = time.GetElapsedTime(started);

        using (response)
        {
            // 4. Status and headers, sent at once so an SSE client knows the stream is open before the first event.
            context.Response.StatusCode = (int)response.StatusCode;
            HeaderRules.CopyResponseHeaders(response, context.Response);
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            var status = (int)response.StatusCode;
            try
            {
                await context.Response.StartAsync(activity.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException)
            {
                return new ForwarderResult(activity.TimedOut ? ForwarderError.ResponseBodyTimedOut : ForwarderError.ResponseBodyClient, ex, status, latency);
            }

            // 5. The body, chunk by chunk, flushed as it comes.
            Stream body;
            try
            {
                body = await response.Content.ReadAsStreamAsync(activity.Token);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
            {
                return new ForwarderResult(BodyFailure(StreamCopyResult.InputError, activity), ex, status, latency);
            }
            await using (body)
            {
                var (result, error) = await StreamCopier.CopyAsync(body, context.Response.Body, activity, activity.Token);
                if (result != StreamCopyResult.Success)
                {
                    return new ForwarderResult(BodyFailure(result, activity), error, status, latency);
                }
            }

            // 6. Trailers (HTTP/2 and chunked HTTP/1.1 upstreams), where the client's protocol can carry them.
            if (response.TrailingHeaders.NonValidated.Count > 0 && context.Response.SupportsTrailers())
            {
                foreach (var trailer in response.TrailingHeaders.NonValidated)
                {
                    if (!HeaderRules.IsHopByHop(trailer.Key))
                    {
                        context.Response.AppendTrailer(trailer.Key, HeaderRules.ToStringValues(trailer.Value));
                    }
                }
            }
            return new ForwarderResult(ForwarderError.None, null, status, latency);
        }
    }

    private HttpRequestMessage CreateRequest(HttpContext context, Uri destination, ActivityTimeout activity)
    {
        var incoming = context.Request;
        var target = destination.AbsoluteUri.TrimEnd('/') + incoming.Path.ToUriComponent() + incoming.QueryString.ToUriComponent();
        var request = new HttpRequestMessage(HttpMethod.Parse(incoming.Method), new Uri(target, RawTarget))
        {
            Version = upstream.Version,
            VersionPolicy = upstream.VersionPolicy,
        };
        if (HasBody(context))
        {
            request.Content = new StreamingRequestContent(incoming.Body, activity);
        }

        var listed = HeaderRules.ConnectionListed(incoming.Headers.Connection);
        foreach (var (name, values) in incoming.Headers)
        {
            if (!HeaderRules.ForwardRequestHeader(name, listed)
                || (request.Content is null && name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }
            var value = values.Count == 1 ? values.ToString() : null;
            var added = value is not null
                ? request.Headers.TryAddWithoutValidation(name, value)
                : request.Headers.TryAddWithoutValidation(name, values.OfType<string>());
            if (!added && request.Content is not null)
            {
                _ = value is not null
                    ? request.Content.Headers.TryAddWithoutValidation(name, value)
                    : request.Content.Headers.TryAddWithoutValidation(name, values.OfType<string>());
            }
        }
        AddForwardedHeaders(context, request);
        return request;
    }

    private void AddForwardedHeaders(HttpContext context, HttpRequestMessage request)
    {
        var o = options.Value;
        var incoming = context.Request;
        var remote = context.Connection.RemoteIpAddress is { IsIPv4MappedToIPv6: true } mapped ? mapped.MapToIPv4() : context.Connection.RemoteIpAddress;
        var client = remote?.ToString() ?? "unknown";
        var host = incoming.Host.Value ?? string.Empty;

        // The edge is the trust boundary: unless told it sits behind a trusted balancer, whatever the client claims is replaced.
        var forwardedFor = o.TrustForwardedHeaders && incoming.Headers["X-Forwarded-For"].ToString() is { Length: > 0 } prior
            ? prior + ", " + client
            : client;
        var proto = o.TrustForwardedHeaders && incoming.Headers["X-Forwarded-Proto"].ToString() is { Length: > 0 } priorProto ? priorProto : incoming.Scheme;
        var forwardedHost = o.TrustForwardedHeaders && incoming.Headers["X-Forwarded-Host"].ToString() is { Length: > 0 } priorHost ? priorHost : host;
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", proto);
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", forwardedHost);
        if (o.AddForwardedHeader)
        {
            var node = remote?.AddressFamily == AddressFamily.InterNetworkV6 ? $"\"[{remote}]\"" : client;
            request.Headers.TryAddWithoutValidation("Forwarded", $"for={node};proto={incoming.Scheme};host=\"{host}\"");
        }
        if (o.PreserveHost && host.Length > 0)
        {
            request.Headers.Host = host;
        }
    }

    private static bool HasBody(HttpContext context)
    {
        var length = context.Request.ContentLength;
        return length > 0 || (length is null && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true);
    }

    private static ForwarderError ClassifySendFailure(Exception ex, StreamingRequestContent? content, ActivityTimeout activity)
    {
        // Order matters: the client's own failure wins over what it caused upstream.
        if (content?.Result == StreamCopyResult.InputError)
        {
            return ForwarderError.RequestBodyClient;
        }
        if (activity.ClientAborted)
        {
            return ForwarderError.RequestCanceled;
        }
        if (activity.TimedOut)
        {
            return ForwarderError.RequestTimedOut;
        }
        if (content?.Result == StreamCopyResult.OutputError)
        {
            return ForwarderError.RequestBodyDestination;
        }
        var nothingSent = content is null || !content.Started;
        return ex switch
        {
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError }
                when nothingSent => ForwarderError.ConnectFailed,
            // SocketsHttpHandler's ConnectTimeout surfaces as a cancellation carrying a TimeoutException.
            OperationCanceledException { InnerException: TimeoutException } when nothingSent => ForwarderError.ConnectFailed,
            _ => ForwarderError.Request,
        };
    }

    private static ForwarderError BodyFailure(StreamCopyResult result, ActivityTimeout activity) => result switch
    {
        _ when activity.ClientAborted => ForwarderError.ResponseBodyClient,
        _ when activity.TimedOut => ForwarderError.ResponseBodyTimedOut,
        StreamCopyResult.OutputError => ForwarderError.ResponseBodyClient,
        _ => ForwarderError.ResponseBodyDestination,
    };

    internal static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
