using System.Diagnostics;
using Google.Protobuf;
using Grpc.Net.Client;
using McpPlatform.Bench.Grpc.Protos;

namespace McpPlatform.Bench.Grpc;

/// <summary>Our client's side: the same workloads as node/bench.js, counted the same way.</summary>
public static class OurClientWorkload
{
    public static async Task<double> RunAsync(int port, string scenario, int concurrency, TimeSpan warmup, TimeSpan duration, int payloadBytes)
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var client = new Protos.Bench.BenchClient(channel);
        var payload = new Payload { Data = ByteString.CopyFrom(new byte[payloadBytes]) };
        var state = new State();
        Func<Task> worker = scenario == "unary"
            ? async () =>
            {
                while (!state.Stop)
                {
                    await client.UnaryAsync(payload);
                    state.Count();
                }
            }
            : async () =>
            {
                using var call = client.PingPong();
                while (!state.Stop)
                {
                    await call.RequestStream.WriteAsync(payload);
                    await call.ResponseStream.MoveNext(CancellationToken.None);
                    state.Count();
                }

                await call.RequestStream.CompleteAsync();
                while (await call.ResponseStream.MoveNext(CancellationToken.None))
                {
                }
            };

        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(worker)).ToArray();
        await Task.Delay(warmup);
        state.Counting = true;
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(duration);
        state.Counting = false;
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var ops = state.Ops;
        state.Stop = true;
        await Task.WhenAll(workers);
        return ops / seconds;
    }

    private sealed class State
    {
        private long _ops;

        public volatile bool Counting;
        public volatile bool Stop;

        public long Ops => Interlocked.Read(ref _ops);

        public void Count()
        {
            if (Counting)
            {
                Interlocked.Increment(ref _ops);
            }
        }
    }
}
