using Grpc.Core;
using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.Contracts.Worker.V1;
using McpPlatform.Dispatcher.Grpc.Admission;
using McpPlatform.Dispatcher.Grpc.Leases;
using McpPlatform.Dispatcher.Grpc.Options;
using McpPlatform.Dispatcher.Grpc.Registry;
using McpPlatform.Dispatcher.Grpc.Telemetry;
using Microsoft.Extensions.Options;
using ClosedReason = McpPlatform.Contracts.Dispatch.V1.SessionClosed.Types.Reason;

namespace McpPlatform.Dispatcher.Grpc.Relay;

/// <summary>
/// Dispatch.Session: 1. the open frame is admitted and leases a slot, held (and renewed) for the session's life (no
/// slot within a queue poll: a quiet session of the same server may give its slot up, see <see cref="SessionDirectory"/>);
/// 2. Worker.Session is opened on that slot with the lease; 3. messages flow both ways unchanged until the client
/// closes, the worker's process goes, nothing happens for the idle timeout, or the slot is reclaimed; 4. the lease is
/// given back and a closed frame says why.
/// </summary>
internal sealed class SessionRelay(
    AdmissionController admission,
    LeaseManager leases,
    WorkerPool pool,
    WorkerChannels channels,
    IOptions<DispatcherOptions> options,
    TimeProvider time,
    ILogger<SessionRelay> logger)
{
    /// <summary>How long a session the dispatcher ends is given to end on its worker (its process stops within the server's StopGracePeriod, 2 s by default).</summary>
    private static readonly TimeSpan WorkerCloseWait = TimeSpan.FromSeconds(5);

    private readonly SessionDirectory _sessions = new(time, logger);

    public async Task RunAsync(IAsyncStreamReader<SessionClientFrame> requestStream, IServerStreamWriter<SessionServerFrame> responseStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        if (!await requestStream.MoveNext(ct).ConfigureAwait(false))
        {
            return;
        }

        if (requestStream.Current.Open is not { } open)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "The first frame of a session must be `open`."));
        }

        RequestValidation.CheckRoute(open.Route, pool);
        if (string.IsNullOrEmpty(open.Route.SessionId))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "route.session_id is required to open a session."));
        }

        var admitted = await AdmitAsync(open.Route, context.Deadline, ct).ConfigureAwait(false);
        if (admitted.Lease is not { } lease)
        {
            await responseStream.WriteAsync(new SessionServerFrame { Busy = admitted.Busy }, ct).ConfigureAwait(false);
            return;
        }

        var idle = open.IdleTimeout?.ToTimeSpan() is { } requested && requested > TimeSpan.Zero ? requested : options.Value.SessionIdleTimeout;
        (ClosedReason Reason, string Message) end;
        try
        {
            end = await RelayAsync(open, lease, idle, requestStream, responseStream, ct).ConfigureAwait(false);
        }
        catch (RpcException ex) when (!ct.IsCancellationRequested)
        {
            // The worker could not be reached or dropped the stream: the session ends with a reason, not a gRPC error.
            end = (ClosedReason.ProcessExited, $"Worker '{lease.WorkerId}' was lost (gRPC status {ex.StatusCode}).");
        }
        finally
        {
            await leases.ReleaseAsync(lease.LeaseId, CancellationToken.None).ConfigureAwait(false);
        }

        Log.SessionClosed(logger, open.Route.SessionId, open.Route.Server, end.Reason);
        await responseStream.WriteAsync(new SessionServerFrame { Closed = new SessionClosed { Reason = end.Reason, Message = end.Message } }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Admission; while this open waits in the queue (no slot), every queue poll interval the quietest session of the
    /// same server that waits for nothing and has been silent for SessionReclaimAfter may give its slot up: one per open.
    /// </summary>
    private async Task<AdmissionResult> AdmitAsync(Route route, DateTime deadline, CancellationToken ct)
    {
        var admitting = admission.AdmitAsync(route, options.Value.LeaseTtl, autoRenew: true, excludeWorkers: null, deadline, ct);
        if (options.Value.SessionReclaimAfter <= TimeSpan.Zero)
        {
            return await admitting.ConfigureAwait(false);
        }

        using var pause = CancellationTokenSource.CreateLinkedTokenSource(ct);
        while (!admitting.IsCompleted && !ct.IsCancellationRequested)
        {
            var first = await Task.WhenAny(admitting, Task.Delay(options.Value.QueuePollInterval, time, pause.Token)).ConfigureAwait(false);
            if (first != admitting && admission.Depth(route.Server) > 0 && _sessions.ReclaimOne(route.Server, options.Value.SessionReclaimAfter))
            {
                break;
            }
        }

        await pause.CancelAsync().ConfigureAwait(false);
        return await admitting.ConfigureAwait(false);
    }

    private async Task<(ClosedReason, string)> RelayAsync(SessionOpen open, SlotLease lease, TimeSpan idle, IAsyncStreamReader<SessionClientFrame> requestStream, IServerStreamWriter<SessionServerFrame> responseStream, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var call = channels.Client(lease.WorkerAddress).Session(cancellationToken: stop.Token);
        await call.RequestStream.WriteAsync(new WorkerSessionClientFrame { Open = new WorkerSessionOpen { LeaseId = lease.LeaseId, Route = open.Route, Resume = open.Resume } }, ct).ConfigureAwait(false);
        if (!await call.ResponseStream.MoveNext(ct).ConfigureAwait(false) || call.ResponseStream.Current.FrameCase != WorkerSessionServerFrame.FrameOneofCase.Opened)
        {
            var failure = call.ResponseStream.Current?.Failure;
            return (ClosedReason.ProcessExited, failure?.Message ?? "The worker did not open the session.");
        }

        await responseStream.WriteAsync(new SessionServerFrame { Opened = new SessionOpened { Lease = DispatchService.ToContract(lease), Resumed = open.Resume } }, ct).ConfigureAwait(false);
        var live = _sessions.Add(open.Route.Server, open.Route.SessionId);
        Task<(ClosedReason, string)> first;
        Task<(ClosedReason, string)> upstream;
        try
        {
            var worker = new WorkerSessionWriter(call.RequestStream);
            upstream = ClientToWorkerAsync(requestStream, worker, live, stop.Token);
            var downstream = WorkerToClientAsync(call.ResponseStream, responseStream, live, stop.Token);
            var idleWatch = IdleAsync(() => live.LastActivity, idle, stop.Token);
            // Not awaited after the stop below: it completes only when the slot is reclaimed.
            var reclaimed = ReclaimedAsync(live);
            first = await Task.WhenAny(upstream, downstream, idleWatch, reclaimed).ConfigureAwait(false);
            // Whoever ended the session (the dispatcher, or the client with a close), the worker must end it too.
            if (first.IsCompletedSuccessfully && (first == idleWatch || first == reclaimed || (first == upstream && worker.Closed)))
            {
                await EndOnWorkerAsync(worker, first.Result.Item2, downstream, ct).ConfigureAwait(false);
            }

            await stop.CancelAsync().ConfigureAwait(false);
            await SettleAsync(upstream, downstream, idleWatch).ConfigureAwait(false);
        }
        finally
        {
            _sessions.Remove(live);
        }

        ct.ThrowIfCancellationRequested();
        if (upstream.IsCompletedSuccessfully)
        {
            // The client ended the session: that is the reason, even when the worker's answering end
            // of the stream happened to be seen first.
            return upstream.Result;
        }

        return first.IsCompletedSuccessfully ? first.Result : (ClosedReason.ProcessExited, "The connection to the worker failed.");
    }

    /// <summary>
    /// The session is over: the worker is told so (unless the client's close already did) and given a moment to end it
    /// before the call is cancelled and the lease goes back. A worker that sees only the cancellation (which can
    /// overtake a close still unread) keeps the session's process for a resume until its own idle timeout, so the slot
    /// this lease frees would still be taken there.
    /// </summary>
    private async Task EndOnWorkerAsync(WorkerSessionWriter worker, string reason, Task workerSide, CancellationToken ct)
    {
        try
        {
            await worker.CloseAsync(reason, ct).ConfigureAwait(false);
            await workerSide.WaitAsync(WorkerCloseWait, time, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RpcException or OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            // The worker is gone or slow: cancelling the call below is all that is left.
        }
    }

    private static async Task<(ClosedReason, string)> ReclaimedAsync(LiveSession live) => (ClosedReason.Idle, await live.Reclaimed.ConfigureAwait(false));

    private static async Task SettleAsync(params Task[] tasks)
    {
        foreach (var task in tasks)
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or RpcException)
            {
                // The others stop because one ended the session.
            }
        }
    }

    private async Task<(ClosedReason, string)> ClientToWorkerAsync(IAsyncStreamReader<SessionClientFrame> from, WorkerSessionWriter to, LiveSession live, CancellationToken ct)
    {
        while (await from.MoveNext(ct).ConfigureAwait(false))
        {
            switch (from.Current.FrameCase)
            {
                case SessionClientFrame.FrameOneofCase.Message:
                    live.FromClient(from.Current.Message.Span, time.GetTimestamp());
                    await to.WriteAsync(from.Current.Message, ct).ConfigureAwait(false);
                    break;
                case SessionClientFrame.FrameOneofCase.Close:
                    await to.CloseAsync(from.Current.Close.Reason, ct).ConfigureAwait(false);
                    return (ClosedReason.ClientClosed, from.Current.Close.Reason);
                default:
                    throw new RpcException(new Status(StatusCode.InvalidArgument, "Only `message` and `close` frames may follow `open`."));
            }
        }

        await to.CompleteAsync(ct).ConfigureAwait(false);
        return (ClosedReason.ClientClosed, "The client ended the stream.");
    }

    private async Task<(ClosedReason, string)> WorkerToClientAsync(IAsyncStreamReader<WorkerSessionServerFrame> from, IServerStreamWriter<SessionServerFrame> to, LiveSession live, CancellationToken ct)
    {
        while (await from.MoveNext(ct).ConfigureAwait(false))
        {
            if (from.Current.Failure is { } failure)
            {
                return (ClosedReason.ProcessExited, failure.Message);
            }

            if (from.Current.FrameCase == WorkerSessionServerFrame.FrameOneofCase.Message)
            {
                live.FromServer(from.Current.Message.Span, time.GetTimestamp());
                await to.WriteAsync(new SessionServerFrame { Message = from.Current.Message }, ct).ConfigureAwait(false);
            }
        }

        return (ClosedReason.ProcessExited, "The worker ended the session.");
    }

    private async Task<(ClosedReason, string)> IdleAsync(Func<long> lastActivity, TimeSpan idle, CancellationToken ct)
    {
        while (true)
        {
            var remaining = idle - time.GetElapsedTime(lastActivity());
            if (remaining <= TimeSpan.Zero)
            {
                return (ClosedReason.Idle, $"No traffic for {idle.TotalSeconds:0.#} s.");
            }

            // A timer for the idle deadline, re-armed on traffic.
            await Task.Delay(remaining, time, ct).ConfigureAwait(false);
        }
    }
}
