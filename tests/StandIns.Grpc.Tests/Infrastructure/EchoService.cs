using Google.Protobuf;
using Grpc.Core;
using McpPlatform.StandIns.Grpc.Multiplexing;
using McpPlatform.StandIns.Grpc.Tests.Protos;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpPlatform.StandIns.Grpc.Tests.Infrastructure;

/// <summary>Our server's implementation of the test service; node/interop.js implements the same one.</summary>
public sealed class EchoService(CallRecorder recorder, IHostApplicationLifetime lifetime) : Echo.EchoBase
{
    public override Task ServerStreamMux(IAsyncStreamReader<EchoMuxRequest> requestStream, IServerStreamWriter<EchoMuxEvent> responseStream, ServerCallContext context) =>
        MultiplexedServer.RunAsync<EchoMuxRequest, EchoMuxEvent, EchoRequest, EchoResponse>(
            requestStream, responseStream, context, "mcpplatform.test.v1.Echo/ServerStream", ServerStream, NullLogger.Instance, lifetime.ApplicationStopping);

    public override async Task<EchoResponse> Unary(EchoRequest request, ServerCallContext context)
    {
        if (request.Key.Length > 0 && request.DelayMs == 0)
        {
            recorder.CountWrite(request.Key);
        }

        await PrepareAsync(request, context);
        return Respond(request, 0);
    }

    public override async Task ServerStream(EchoRequest request, IServerStreamWriter<EchoResponse> responseStream, ServerCallContext context)
    {
        await PrepareAsync(request, context);
        for (var i = 0; i < request.ResponseCount; i++)
        {
            await responseStream.WriteAsync(Respond(request, i));
            if (request.Key.Length > 0)
            {
                recorder.CountWrite(request.Key);
            }
        }
    }

    public override async Task<EchoResponse> ClientStream(IAsyncStreamReader<EchoRequest> requestStream, ServerCallContext context)
    {
        var count = 0;
        long total = 0;
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            if (count == 0)
            {
                await PrepareAsync(request, context);
            }

            count++;
            total += request.Payload.Length;
        }

        return new EchoResponse { Count = count, TotalBytes = total };
    }

    public override async Task Bidi(IAsyncStreamReader<EchoRequest> requestStream, IServerStreamWriter<EchoResponse> responseStream, ServerCallContext context)
    {
        var index = 0;
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            if (index == 0)
            {
                await PrepareAsync(request, context);
            }

            await responseStream.WriteAsync(Respond(request, index++));
        }
    }

    public override async Task<EchoResponse> AwaitCancelled(EchoRequest request, ServerCallContext context)
    {
        try
        {
            await recorder.WaitAsync(request.Key, TimeSpan.FromSeconds(10));
            return new EchoResponse { Cancelled = true };
        }
        catch (TimeoutException)
        {
            return new EchoResponse { Cancelled = false };
        }
    }

    private static EchoResponse Respond(EchoRequest request, int index) => new()
    {
        Index = index,
        Payload = request.ResponseSize > 0 ? ByteString.CopyFrom(new byte[request.ResponseSize]) : request.Payload,
    };

    private async Task PrepareAsync(EchoRequest request, ServerCallContext context)
    {
        if (request.EchoMetadata)
        {
            var echoed = new Metadata();
            foreach (var entry in context.RequestHeaders.Where(e => e.Key.StartsWith("x-", StringComparison.Ordinal)))
            {
                echoed.Add(entry);
                context.ResponseTrailers.Add(entry);
            }

            await context.WriteResponseHeadersAsync(echoed);
        }

        if (request.DelayMs > 0)
        {
            if (!request.EchoMetadata)
            {
                // Headers tell the client the handler is running, so it can cancel at the right moment.
                await context.WriteResponseHeadersAsync([]);
            }

            try
            {
                if (request.Key.Length > 0)
                {
                    recorder.RecordStarted(request.Key);
                }

                await Task.Delay(request.DelayMs, context.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                recorder.Record(request.Key);
                throw;
            }
        }

        if (request.ThrowMessage.Length > 0)
        {
            throw new InvalidOperationException(request.ThrowMessage);
        }

        if (request.StatusCode != 0)
        {
            throw new RpcException(new Status((StatusCode)request.StatusCode, request.StatusMessage), new Metadata { { "x-error-detail", "detail" } });
        }
    }
}
