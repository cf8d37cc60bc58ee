using Google.Protobuf;
using Grpc.Core;
using McpPlatform.Contracts.Worker.V1;

namespace McpPlatform.Dispatcher.Grpc.Relay;

/// <summary>
/// The request side of one Worker.Session stream, shared by the client relay and the dispatcher's own close (idle
/// timeout, reclaimed slot): one write at a time (a gRPC stream takes no concurrent writes), nothing after the end.
/// </summary>
internal sealed class WorkerSessionWriter(IClientStreamWriter<WorkerSessionClientFrame> stream)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _ended;

    /// <summary>True once a close was sent: the worker then ends the session and stops its process.</summary>
    public bool Closed { get; private set; }

    public async Task WriteAsync(ByteString message, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_ended)
            {
                await stream.WriteAsync(new WorkerSessionClientFrame { Message = message }, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Ends the session on the worker (which then stops its process) and completes the stream; once.</summary>
    public Task CloseAsync(string reason, CancellationToken cancellationToken) => EndAsync(reason, cancellationToken);

    /// <summary>Completes the stream without a close: the worker keeps the session's process for a resume.</summary>
    public Task CompleteAsync(CancellationToken cancellationToken) => EndAsync(null, cancellationToken);

    private async Task EndAsync(string? closeReason, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_ended)
            {
                return;
            }

            _ended = true;
            if (closeReason is not null)
            {
                await stream.WriteAsync(new WorkerSessionClientFrame { CloseReason = closeReason }, cancellationToken).ConfigureAwait(false);
                Closed = true;
            }

            await stream.CompleteAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }
}
