using System.Buffers;

namespace McpPlatform.Gateway.Edge.Forwarder;

/// <summary>Which side of a copy failed.</summary>
internal enum StreamCopyResult
{
    Success,
    InputError,
    OutputError,
    Canceled,
}

/// <summary>
/// Copies a body chunk by chunk and flushes after every chunk, so an SSE event or a slow upload
/// moves on the moment it arrives; each chunk also pushes the activity deadline back.
/// </summary>
internal static class StreamCopier
{
    private const int BufferSize = 64 * 1024;

    public static async ValueTask<(StreamCopyResult Result, Exception? Error)> CopyAsync(
        Stream input, Stream output, ActivityTimeout activity, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await input.ReadAsync(buffer.AsMemory(), cancellationToken);
                }
                catch (OperationCanceledException ex)
                {
                    return (StreamCopyResult.Canceled, ex);
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException or BadHttpRequestException or ObjectDisposedException)
                {
                    return (cancellationToken.IsCancellationRequested ? StreamCopyResult.Canceled : StreamCopyResult.InputError, ex);
                }
                if (read == 0)
                {
                    return (StreamCopyResult.Success, null);
                }
                activity.Reset();
                try
                {
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    await output.FlushAsync(cancellationToken);
                }
                catch (OperationCanceledException ex)
                {
                    return (StreamCopyResult.Canceled, ex);
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException or ObjectDisposedException or InvalidOperationException)
                {
                    return (cancellationToken.IsCancellationRequested ? StreamCopyResult.Canceled : StreamCopyResult.OutputError, ex);
                }
                activity.Reset();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
