using System.Net.Http;
using System.Runtime.CompilerServices;
using Google.Protobuf;
using Grpc.Core;
using McpPlatform.StandIns.Grpc.Framing;

namespace McpPlatform.StandIns.Grpc.Client;

internal sealed partial class GrpcCall<TRequest, TResponse>
{
    /// <summary>Reads the next response message; null when the call has finished (see <see cref="_status"/>).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<TResponse?> ReadMessageAsync()
    {
        await _sendTask.ConfigureAwait(false);
        if (IsFinished || _reader is null)
        {
            return null;
        }

        try
        {
            var message = await _reader.ReadAsync(_method.ResponseMarshaller.ContextualDeserializer, _cts.Token).ConfigureAwait(false);
            if (message is not null)
            {
                return message;
            }

            var trailers = _response!.TrailingHeaders.NonValidated;
            trailers.TryGetValues(GrpcProtocol.StatusHeader, out var statusValues);
            trailers.TryGetValues(GrpcProtocol.MessageHeader, out var messageValues);
            Finish(GrpcProtocol.ParseStatus(First(statusValues), First(messageValues)), ReadMetadata(trailers));
            _reader.Complete();
            return null;
        }
        catch (Exception ex)
        {
            var status = ResolveException(ex);
            Finish(status, Metadata.Empty);
            Cancel();
            _reader.Complete();
            return null;
        }
    }

    /// <summary>Maps what went wrong to a status, the way grpc-dotnet reports it.</summary>
    internal Status ResolveException(Exception ex)
    {
        if (_cts.IsCancellationRequested)
        {
            return _deadlineExceeded
                ? new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded", ex)
                : new Status(StatusCode.Cancelled, "Call canceled by the client.", ex);
        }

        return ex switch
        {
            RpcException rpc => rpc.Status,
            HttpRequestException http when IsConnectFailure(http)
                => new Status(StatusCode.Unavailable, "Error connecting to subchannel: " + http.Message, ex),
            IOException { InnerException: HttpProtocolException { ErrorCode: 0 } }
                => new Status(StatusCode.Unavailable, "The server closed the connection: " + ex.Message, ex),
            InvalidProtocolBufferException => new Status(StatusCode.Internal, "Failed to deserialize response message.", ex),
            HttpProtocolException protocol => FromHttp2Error(protocol),
            HttpRequestException { InnerException: HttpProtocolException protocol } => FromHttp2Error(protocol),
            IOException { InnerException: HttpProtocolException protocol } => FromHttp2Error(protocol),
            HttpRequestException or IOException => new Status(StatusCode.Unavailable, "Error reading from the connection: " + ex.Message, ex),
            OperationCanceledException => new Status(StatusCode.Cancelled, "Call canceled.", ex),
            _ => new Status(StatusCode.Internal, $"Error in gRPC call: {ex.GetType().Name}: {ex.Message}", ex),
        };
    }

    // RST_STREAM / GOAWAY error codes to gRPC statuses (PROTOCOL-HTTP2.md, "Errors").
    private static Status FromHttp2Error(HttpProtocolException ex) => new(
        ex.ErrorCode switch
        {
            0x7 => StatusCode.Unavailable,         // REFUSED_STREAM
            0x8 => StatusCode.Cancelled,           // CANCEL
            0xB => StatusCode.ResourceExhausted,   // ENHANCE_YOUR_CALM
            0xC => StatusCode.PermissionDenied,    // INADEQUATE_SECURITY
            _ => StatusCode.Internal,
        },
        $"HTTP/2 error code {ex.ErrorCode}: {ex.Message}",
        ex);
}
