using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using McpPlatform.Contracts.Worker.V1;
using McpPlatform.Dispatcher.Grpc.Leases;
using McpPlatform.StandIns.Grpc.Multiplexing;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpPlatform.Dispatcher.Grpc.Tests.Infrastructure;

/// <summary>
/// A test double of Worker.Host's Worker service (which does not exist yet): tools/call "echo" answers the worker's
/// id, "sleep" waits arguments.ms, "gate" waits until the test opens <see cref="Gate"/>, "change" emits
/// notifications/tools/list_changed first; tools/list answers a list whose version "change" bumps. It records what
/// ran where, so tests can check that no slot ran two calls at once and no call ran twice.
/// </summary>
public sealed class TestWorkerService(string workerId) : Worker.WorkerBase
{
    private readonly ConcurrentDictionary<string, int> _inFlightPerSlot = new(StringComparer.Ordinal);
    private int _inFlight;
    private int _muxStreams;
    private int _listVersion = 1;

    public string WorkerId { get; } = workerId;

    public SemaphoreSlim Gate { get; } = new(0);

    /// <summary>Tenant and JSON-RPC id of every call, in the order they started.</summary>
    public ConcurrentQueue<(string Tenant, string Id)> Started { get; } = new();

    public ConcurrentDictionary<string, int> Executions { get; } = new(StringComparer.Ordinal);

    public int MaxInFlightPerSlot { get; private set; }

    public int MaxInFlight { get; private set; }

    public int ListCalls => Volatile.Read(ref _listCalls);

    public DateTime LastDeadline { get; private set; }

    public string? LastLeaseId { get; private set; }

    /// <summary>The close_reason of the last session that was closed (not merely cancelled).</summary>
    public string? LastCloseReason { get; private set; }

    private int _listCalls;

    /// <summary>The dispatcher's default path: Execute calls multiplexed on one stream, served as Worker.Host serves them.</summary>
    public override Task ExecuteMux(IAsyncStreamReader<ExecuteMuxRequest> requestStream, IServerStreamWriter<ExecuteMuxEvent> responseStream, ServerCallContext context)
    {
        Interlocked.Increment(ref _muxStreams);
        return MultiplexedServer.RunAsync<ExecuteMuxRequest, ExecuteMuxEvent, ExecuteRequest, ExecuteEvent>(
            requestStream, responseStream, context, "mcpplatform.worker.v1.Worker/Execute", Execute, NullLogger.Instance, CancellationToken.None);
    }

    /// <summary>ExecuteMux streams opened by the dispatcher so far.</summary>
    public int MuxStreams => Volatile.Read(ref _muxStreams);

    /// <summary>Set when a "gate" call saw its cancellation.</summary>
    public TaskCompletionSource GateCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override async Task Execute(ExecuteRequest request, IServerStreamWriter<ExecuteEvent> responseStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var slot = LeaseIds.TryParse(request.LeaseId, out var lease) ? lease.SlotKey : throw new RpcException(new Status(StatusCode.InvalidArgument, "bad lease"));
        using var message = JsonDocument.Parse(request.Message.Memory);
        var id = message.RootElement.TryGetProperty("id", out var idElement) ? idElement.GetRawText() : "null";
        var method = message.RootElement.GetProperty("method").GetString();
        var parameters = message.RootElement.TryGetProperty("params", out var p) ? p : default;
        var tool = method == "tools/call" ? parameters.GetProperty("name").GetString() : null;
        (LastDeadline, LastLeaseId) = (context.Deadline, request.LeaseId);

        var left = false;
        lock (_inFlightPerSlot)
        {
            var onSlot = _inFlightPerSlot.AddOrUpdate(slot, 1, (_, n) => n + 1);
            MaxInFlightPerSlot = Math.Max(MaxInFlightPerSlot, onSlot);
            MaxInFlight = Math.Max(MaxInFlight, ++_inFlight);
            Started.Enqueue((request.Route.TenantId, id));
            Executions.AddOrUpdate(id, 1, (_, n) => n + 1);
        }

        try
        {
            if (request.IsNotification)
            {
                return;
            }

            string result;
            switch (method, tool)
            {
                case ("tools/list", _):
                    Interlocked.Increment(ref _listCalls);
                    result = "{\"tools\":[{\"name\":\"echo\",\"description\":\"v" + Volatile.Read(ref _listVersion) + "\",\"inputSchema\":{\"type\":\"object\"}}]}";
                    break;
                case (_, "sleep"):
                    await Task.Delay(parameters.GetProperty("arguments").GetProperty("ms").GetInt32(), ct);
                    result = Text(WorkerId);
                    break;
                case (_, "gate"):
                    try
                    {
                        await Gate.WaitAsync(ct);
                    }
                    catch (OperationCanceledException)
                    {
                        GateCancelled.TrySetResult();
                        throw;
                    }

                    result = Text(WorkerId);
                    break;
                case (_, "change"):
                    Interlocked.Increment(ref _listVersion);
                    await responseStream.WriteAsync(new ExecuteEvent { Related = ByteString.CopyFromUtf8("""{"jsonrpc":"2.0","method":"notifications/tools/list_changed"}""") }, ct);
                    result = Text("changed");
                    break;
                case (_, "fail"):
                    await responseStream.WriteAsync(new ExecuteEvent { Failure = new SlotFailure { Reason = SlotFailure.Types.Reason.ProcessExited, Message = "The server process exited." } }, ct);
                    return;
                default:
                    result = Text(WorkerId);
                    break;
            }

            // The slot's work is done once the answer exists (a real worker's process is free once it has answered),
            // and the dispatcher may lease the slot again as soon as it reads the answer: leave before writing it, or
            // the next call can be counted on this slot while this handler is still returning.
            Leave();
            await responseStream.WriteAsync(new ExecuteEvent { Result = ByteString.CopyFrom(Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","id":{{id}},"result":{{result}}}""")) }, ct);
        }
        finally
        {
            Leave();
        }

        void Leave()
        {
            lock (_inFlightPerSlot)
            {
                if (left)
                {
                    return;
                }

                left = true;
                _inFlightPerSlot.AddOrUpdate(slot, 0, (_, n) => n - 1);
                _inFlight--;
            }
        }
    }

    public override async Task Session(IAsyncStreamReader<WorkerSessionClientFrame> requestStream, IServerStreamWriter<WorkerSessionServerFrame> responseStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        if (!await requestStream.MoveNext(ct) || requestStream.Current.Open is null)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "open first"));
        }

        LastLeaseId = requestStream.Current.Open.LeaseId;
        await responseStream.WriteAsync(new WorkerSessionServerFrame { Opened = true }, ct);
        while (await requestStream.MoveNext(ct))
        {
            if (requestStream.Current.FrameCase == WorkerSessionClientFrame.FrameOneofCase.Message)
            {
                // Echo each client message back as a server-to-client message.
                await responseStream.WriteAsync(new WorkerSessionServerFrame { Message = requestStream.Current.Message }, ct);
            }
            else
            {
                LastCloseReason = requestStream.Current.CloseReason;
                return;
            }
        }
    }

    private static string Text(string text) => $$"""{"content":[{"type":"text","text":"{{text}}"}]}""";
}
