using System.Diagnostics;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using McpPlatform.StandIns.Grpc.Framing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;

namespace McpPlatform.StandIns.Grpc.Server;

/// <summary>The server side of one call on Kestrel: deadline, metadata, response headers and the final status.</summary>
internal sealed partial class HttpContextServerCallContext : ServerCallContext, IDisposable
{
    private readonly HttpContext _http;
    private readonly IMethod _method;
    private readonly GrpcServiceOptions _options;
    private readonly ILogger _logger;
    private CancellationTokenSource? _deadlineCts;

    // Copied once: the deadline timer can fire after Kestrel has finished (and recycled) the
    // request, when reading HttpContext.RequestAborted throws ObjectDisposedException on a timer
    // thread and takes the process down.
    private CancellationToken _requestAborted;
    private Metadata? _requestHeaders;
    private Metadata? _responseTrailers;
    private DateTime _deadline = DateTime.MaxValue;
    private Status _status = Status.DefaultSuccess;
    private WriteOptions? _writeOptions;

    public HttpContextServerCallContext(HttpContext http, IMethod method, GrpcServiceOptions options, ILogger logger)
    {
        _http = http;
        _method = method;
        _options = options;
        _logger = logger;
    }

    public HttpContext HttpContext => _http;

    public GrpcServiceOptions Options => _options;

    public bool DeadlineExceeded { get; private set; }

    /// <summary>Set once a response message went into the body, which rules out a trailers-only response.</summary>
    public bool MessageWritten { get; set; }

    protected override string MethodCore => _method.FullName;

    protected override string HostCore => _http.Request.Host.Value ?? string.Empty;

    protected override string PeerCore => _http.Connection.RemoteIpAddress is { } ip
        ? $"{(ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "ipv6:[" + ip + "]" : "ipv4:" + ip)}:{_http.Connection.RemotePort}"
        : "unknown";

    protected override DateTime DeadlineCore => _deadline;

    protected override Metadata RequestHeadersCore => _requestHeaders ??= ReadRequestHeaders();

    protected override CancellationToken CancellationTokenCore => _deadlineCts?.Token ?? _http.RequestAborted;

    protected override Metadata ResponseTrailersCore => _responseTrailers ??= [];

    protected override Status StatusCore
    {
        get => _status;
        set => _status = value;
    }

    protected override WriteOptions? WriteOptionsCore
    {
        get => _writeOptions;
        set => _writeOptions = value;
    }

    /// <summary>Validates the request and arms the deadline. Throws <see cref="RpcException"/> for a call that cannot proceed.</summary>
    public void Initialize()
    {
        var response = _http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = GrpcProtocol.ContentType;

        // gRPC streams are long-lived and may be large: Kestrel's body size and data-rate limits do not apply.
        if (_http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = null;
        }

        if (_http.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate)
        {
            rate.MinDataRate = null;
        }

        var encoding = _http.Request.Headers[GrpcProtocol.EncodingHeader].ToString();
        if (encoding.Length > 0 && encoding != GrpcProtocol.IdentityEncoding)
        {
            response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.IdentityEncoding;
            throw new RpcException(new Status(StatusCode.Unimplemented, $"Unsupported grpc-encoding value '{encoding}'. Supported encodings: identity"));
        }

        var timeoutHeader = _http.Request.Headers[GrpcProtocol.TimeoutHeader].ToString();
        if (timeoutHeader.Length > 0)
        {
            if (!GrpcProtocol.TryParseTimeout(timeoutHeader, out var timeout))
            {
                throw new RpcException(new Status(StatusCode.Internal, $"Invalid grpc-timeout value '{timeoutHeader}'."));
            }

            // Timers take at most ~49 days: a deadline further away than a month is treated as none.
            if (timeout < TimeSpan.FromDays(30))
            {
                _deadline = DateTime.UtcNow + timeout;
                _requestAborted = _http.RequestAborted;
                _deadlineCts = CancellationTokenSource.CreateLinkedTokenSource(_requestAborted);
                _deadlineCts.Token.UnsafeRegister(static s => ((HttpContextServerCallContext)s!).OnCancelled(), this);
                _deadlineCts.CancelAfter(timeout);
            }
        }
    }

    /// <summary>Turns a handler's exception into the call's status.</summary>
    public void ProcessException(Exception exception)
    {
        if (exception is RpcException rpc)
        {
            _status = rpc.Status;
            foreach (var entry in rpc.Trailers)
            {
                ResponseTrailers.Add(entry);
            }
        }
        else if (exception is OperationCanceledException && (DeadlineExceeded || _http.RequestAborted.IsCancellationRequested))
        {
            _status = DeadlineExceeded ? new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded") : Status.DefaultCancelled;
        }
        else
        {
            LogHandlerError(_logger, _method.FullName, exception);
            var detail = _options.EnableDetailedErrors
                ? $"Exception was thrown by handler. {exception.GetType().Name}: {exception.Message}"
                : "Exception was thrown by handler.";
            _status = new Status(StatusCode.Internal, detail, exception);
        }
    }

    /// <summary>Sends the status: in trailers, or as a trailers-only response when nothing was sent yet.</summary>
    public void EndCall()
    {
        if (DeadlineExceeded && _status.StatusCode == StatusCode.OK)
        {
            _status = new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded");
        }

        if (_http.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        var response = _http.Response;
        if (!response.HasStarted && !MessageWritten)
        {
            var headers = response.Headers;
            headers[GrpcProtocol.StatusHeader] = ((int)_status.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (_status.Detail.Length > 0)
            {
                headers[GrpcProtocol.MessageHeader] = PercentEncoding.Encode(_status.Detail);
            }

            if (_responseTrailers is not null)
            {
                foreach (var entry in _responseTrailers)
                {
                    headers.Append(entry.Key, MetadataCodec.EncodeValue(entry));
                }
            }

            return;
        }

        response.AppendTrailer(GrpcProtocol.StatusHeader, StatusText(_status.StatusCode));
        if (_status.Detail.Length > 0)
        {
            response.AppendTrailer(GrpcProtocol.MessageHeader, PercentEncoding.Encode(_status.Detail));
        }

        if (_responseTrailers is not null)
        {
            foreach (var entry in _responseTrailers)
            {
                response.AppendTrailer(entry.Key, MetadataCodec.EncodeValue(entry));
            }
        }
    }

    public void Dispose() => _deadlineCts?.Dispose();

    protected override async Task WriteResponseHeadersAsyncCore(Metadata responseHeaders)
    {
        ArgumentNullException.ThrowIfNull(responseHeaders);
        if (_http.Response.HasStarted)
        {
            throw new InvalidOperationException("Response headers can only be sent once per call.");
        }

        foreach (var entry in responseHeaders)
        {
            _http.Response.Headers.Append(entry.Key, MetadataCodec.EncodeValue(entry));
        }

        await _http.Response.BodyWriter.FlushAsync(CancellationToken).ConfigureAwait(false);
    }

    private static string StatusText(StatusCode code) => code switch
    {
        StatusCode.OK => "0",
        _ => ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private void OnCancelled()
    {
        if (!_requestAborted.IsCancellationRequested)
        {
            DeadlineExceeded = true;
        }
    }

    private Metadata ReadRequestHeaders()
    {
        var metadata = new Metadata();
        foreach (var header in _http.Request.Headers)
        {
            foreach (var value in header.Value)
            {
                MetadataCodec.AddHeader(metadata, header.Key, value);
            }
        }

        return metadata;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "gRPC handler for {Method} threw an exception.")]
    private static partial void LogHandlerError(ILogger logger, string method, Exception exception);
}
