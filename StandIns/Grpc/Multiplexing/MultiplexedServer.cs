using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using McpPlatform.StandIns.Grpc.Telemetry;
using Microsoft.Extensions.Logging;

namespace McpPlatform.StandIns.Grpc.Multiplexing;

/// <summary>
/// Serves a multiplexed stream (e.g. Dispatch.RelayMux): 1. read frames; a start runs the per-call handler (the same
/// method the per-call RPC runs) concurrently with its own deadline, token and server span (parented on the frame's
/// traceparent); a cancel cancels that call; 2. each call's events and end frame go through the stream's one batched
/// writer; 3. a failing call ends only itself, a malformed frame gets an end frame for its id; 4. when the stream
/// ends every call still running is cancelled; when <c>stopping</c> fires, new starts are refused (UNAVAILABLE, not
/// started), calls in flight finish, then the stream ends so the host can stop.
/// </summary>
public static partial class MultiplexedServer
{
    // Events queued per stream before a call's WriteAsync waits: a slow reader slows the calls, not memory.
    private const int WriterCapacity = 256;

    /// <summary>Runs the stream until the client closes it (after its calls end), it breaks, or the host stops.</summary>
    /// <param name="requests">The stream's request frames.</param>
    /// <param name="responses">The stream's event frames.</param>
    /// <param name="context">The stream's context.</param>
    /// <param name="callName">Each call's span name, e.g. <c>mcpplatform.dispatch.v1.Dispatch/Relay</c>.</param>
    /// <param name="handler">Runs one call, exactly as the per-call RPC does (throw <see cref="RpcException"/> for a status).</param>
    /// <param name="logger">Logs handler failures and malformed frames.</param>
    /// <param name="stopping">The host is stopping (drain): refuse new starts, finish the rest, end the stream.</param>
    public static async Task RunAsync<TRequestFrame, TEventFrame, TRequest, TEvent>(
        IAsyncStreamReader<TRequestFrame> requests,
        IServerStreamWriter<TEventFrame> responses,
        ServerCallContext context,
        string callName,
        Func<TRequest, IServerStreamWriter<TEvent>, ServerCallContext, Task> handler,
        ILogger logger,
        CancellationToken stopping)
        where TRequestFrame : class, IMuxRequestFrame<TRequestFrame, TRequest>
        where TEventFrame : class, IMuxEventFrame<TEventFrame, TEvent>
        where TRequest : class
        where TEvent : class
    {
        ArgumentNullException.ThrowIfNull(handler);
        var streamToken = context.CancellationToken;
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(streamToken);
        var writer = new MuxFrameWriter<TEventFrame>(responses, WriterCapacity, streamToken);
        var calls = new ConcurrentDictionary<ulong, MuxServerCall<TEventFrame, TEvent>>();
        var idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = 1; // the reader itself, so "idle" means: done reading and no call left
        void Done()
        {
            if (Interlocked.Decrement(ref running) == 0)
            {
                idle.TrySetResult();
            }
        }

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stopRegistration = stopping.Register(static s => ((TaskCompletionSource)s!).TrySetResult(), stop);
        var readTask = ReadAsync();
        if (await Task.WhenAny(readTask, stop.Task).ConfigureAwait(false) != readTask)
        {
            // Draining: new starts are refused; once nothing is in flight, end the stream (starts still in transit
            // were never read, so the client knows they did not run).
            while (!calls.IsEmpty && !readTask.IsCompleted)
            {
                await Task.WhenAny(calls.Values.Select(c => c.Completion ?? Task.CompletedTask).Append(readTask)).ConfigureAwait(false);
            }

            ended.Cancel();
        }

        await idle.Task.WaitAsync(streamToken).ConfigureAwait(false);
        writer.Complete();
        await writer.Completion.ConfigureAwait(false);
        await readTask.ConfigureAwait(false);

        async Task ReadAsync()
        {
            try
            {
                while (await requests.MoveNext(ended.Token).ConfigureAwait(false))
                {
                    var frame = requests.Current;
                    var id = frame.CallId;
                    switch (frame.Kind)
                    {
                        case MuxFrameKind.Cancel:
                            // A cancel racing the call's end is normal: nothing to do when it already ended.
                            if (calls.TryGetValue(id, out var cancelled))
                            {
                                cancelled.CancelByClient();
                            }

                            continue;
                        case MuxFrameKind.Start when id != 0 && frame.StartRequest is { } request:
                            if (stopping.IsCancellationRequested)
                            {
                                await writer.WriteAsync(TEventFrame.ForEnd(id, MuxStatus.NotStarted("the server is shutting down; retry on another one.")), streamToken).ConfigureAwait(false);
                                continue;
                            }

                            var call = new MuxServerCall<TEventFrame, TEvent>(id, context, writer, frame.CallInfo.Timeout, ended.Token);
                            if (!calls.TryAdd(id, call))
                            {
                                call.Dispose();
                                Log.Malformed(logger, id, "duplicate call id");
                                // Its events could no longer be told apart: end the running call as well.
                                if (calls.TryGetValue(id, out var clash))
                                {
                                    clash.CancelByClient();
                                }

                                await writer.WriteAsync(TEventFrame.ForEnd(id, new Status(StatusCode.InvalidArgument, $"call_id {id} is already in use on this stream; choose a new id per call.")), streamToken).ConfigureAwait(false);
                                continue;
                            }

                            Interlocked.Increment(ref running);
                            call.Completion = Task.Run(() => RunCallAsync(call, request, frame.CallInfo), CancellationToken.None);
                            continue;
                        default:
                            Log.Malformed(logger, id, id == 0 ? "call id 0" : "neither start nor cancel");
                            await writer.WriteAsync(TEventFrame.ForEnd(id, new Status(StatusCode.InvalidArgument, id == 0 ? "call_id must not be 0." : "A frame must carry start (with its request) or cancel.")), streamToken).ConfigureAwait(false);
                            continue;
                    }
                }
            }
            catch (Exception) when (ended.IsCancellationRequested)
            {
                // The stream went away or the host is draining.
            }
            catch (Exception)
            {
                // The stream broke: its calls cannot answer anyone.
                ended.Cancel();
                throw;
            }
            finally
            {
                Done();
            }
        }

        async Task RunCallAsync(MuxServerCall<TEventFrame, TEvent> call, TRequest request, MuxCallInfo info)
        {
            var started = Stopwatch.GetTimestamp();
            using var activity = StartActivity(callName, info);
            Status status;
            try
            {
                await handler(request, call, call).ConfigureAwait(false);
                status = call.DeadlineExceeded ? new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded") : call.Status;
            }
            catch (RpcException ex) when (!call.DeadlineExceeded)
            {
                status = ex.Status;
            }
            catch (Exception) when (call.DeadlineExceeded)
            {
                status = new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded");
            }
            catch (Exception) when (call.CancellationToken.IsCancellationRequested)
            {
                status = new Status(StatusCode.Cancelled, "The call was cancelled.");
            }
            catch (Exception ex)
            {
                Log.HandlerFailed(logger, callName, call.Id, ex);
                status = new Status(StatusCode.Internal, "Exception was thrown by handler.");
            }

            try
            {
                activity?.SetTag("rpc.grpc.status_code", (int)status.StatusCode);
                if (status.StatusCode != StatusCode.OK)
                {
                    activity?.SetStatus(ActivityStatusCode.Error, status.Detail);
                }

                // A call the client cancelled is forgotten there: its end frame would be dropped.
                if (!call.CancelledByClient && !ended.IsCancellationRequested)
                {
                    await writer.WriteAsync(TEventFrame.ForEnd(call.Id, status), streamToken).ConfigureAwait(false);
                }
            }
            catch (Exception) when (streamToken.IsCancellationRequested || writer.Completion.IsCompleted)
            {
                // The stream is gone: nobody is left to tell.
            }
            finally
            {
                calls.TryRemove(call.Id, out _);
                call.Dispose();
                GrpcTelemetry.ServerDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("rpc.method", callName), new KeyValuePair<string, object?>("rpc.grpc.status_code", (int)status.StatusCode));
                Done();
            }
        }
    }

    // The call's server span joins the caller's trace; without a listener an unrecorded one still carries the trace id
    // onward (logs, the next hop's traceparent).
    private static Activity? StartActivity(string name, MuxCallInfo info)
    {
        ActivityContext.TryParse(info.TraceParent, info.TraceState, out var parent);
        var activity = GrpcTelemetry.Source.HasListeners() ? GrpcTelemetry.Source.StartActivity(name, ActivityKind.Server, parent) : null;
        if (activity is null && info.TraceParent is { Length: > 0 } traceParent)
        {
            activity = new Activity(name).SetParentId(traceParent);
            activity.TraceStateString = info.TraceState;
            activity.Start();
        }

        return activity;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Malformed multiplexed frame for call {CallId}: {Problem}; answered INVALID_ARGUMENT for that call.")]
        public static partial void Malformed(ILogger logger, ulong callId, string problem);

        [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Multiplexed call {CallName} #{CallId} failed with an unhandled exception; answered INTERNAL for that call.")]
        public static partial void HandlerFailed(ILogger logger, string callName, ulong callId, Exception exception);
    }
}
