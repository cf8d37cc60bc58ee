using System.Net;
using McpPlatform.StandIns.Grpc.Framing;

namespace McpPlatform.StandIns.Grpc.Client;

/// <summary>
/// The body of a client-streaming or bidirectional request: HttpClient hands us the HTTP/2 request
/// stream and we keep it open until the writer completes (half-close) or the call ends.
/// </summary>
internal sealed class StreamingRequestContent : HttpContent
{
    private readonly TaskCompletionSource<Stream> _stream = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StreamingRequestContent()
    {
        Headers.TryAddWithoutValidation("Content-Type", GrpcProtocol.ContentType);
    }

    public bool Started => _stream.Task.IsCompleted;

    public Task<Stream> StreamTask => _stream.Task;

    /// <summary>Ends the request body (END_STREAM).</summary>
    public void CompleteRequest()
    {
        _complete.TrySetResult();
        _stream.TrySetCanceled();
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        _stream.TrySetResult(stream);
        using var registration = cancellationToken.UnsafeRegister(static s => ((TaskCompletionSource)s!).TrySetCanceled(), _complete);
        await _complete.Task.ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
