using Grpc.Core;
using McpPlatform.Bench.Grpc.Protos;

namespace McpPlatform.Bench.Grpc;

/// <summary>Our server's side of the benchmark: echo, and ping-pong on a bidirectional stream.</summary>
public sealed class BenchService : Protos.Bench.BenchBase
{
    public override Task<Payload> Unary(Payload request, ServerCallContext context) => Task.FromResult(request);

    public override async Task PingPong(IAsyncStreamReader<Payload> requestStream, IServerStreamWriter<Payload> responseStream, ServerCallContext context)
    {
        while (await requestStream.MoveNext(context.CancellationToken))
        {
            await responseStream.WriteAsync(requestStream.Current);
        }
    }
}
