using System.Net;

namespace McpPlatform.Gateway.Edge.Forwarder;

/// <summary>
/// The client's request body as upstream content, streamed (never buffered) and flushed per chunk.
/// It records whether it started, so a connect failure before the first byte can be retried on
/// another replica, and which side failed, so the failure gets the right name.
/// </summary>
internal sealed class StreamingRequestContent(Stream clientBody, ActivityTimeout activity) : HttpContent
{
    private int _started;

    public bool Started => Volatile.Read(ref _started) == 1;

    public StreamCopyResult Result { get; private set; } = StreamCopyResult.Success;

    public Exception? Error { get; private set; }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            // HttpClient never resends content it has begun; a second call would read a drained body.
            throw new InvalidOperationException("The request body can be sent once only.");
        }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, activity.Token);
        var (result, error) = await StreamCopier.CopyAsync(clientBody, stream, activity, linked.Token);
        Result = result;
        Error = error;
        if (result != StreamCopyResult.Success)
        {
            // Fail the upstream request too, so SendAsync returns instead of waiting for a response to a half request.
            throw new IOException($"The request body copy failed ({result}).", error);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
