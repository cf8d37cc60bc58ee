using System.Net;
using System.Net.Sockets;
using System.Text;

namespace McpPlatform.Redis.Tests.Client;

/// <summary>Bad paths a real redis-server never produces: a peer that speaks garbage or answers out of turn.</summary>
public sealed class MisbehavingServerTests
{
    [Fact]
    public async Task GarbageReply_FailsTheConnectWithTheEndpointAndTheCause()
    {
        await using var peer = FakePeer.Start(async (stream, _) => await stream.WriteAsync("?what is this\r\n"u8.ToArray()));

        var error = await Assert.ThrowsAsync<RedisConnectionException>(() =>
            RedisMultiplexer.ConnectAsync($"{peer.EndPoint},connectRetry=1"));

        Assert.Contains(peer.EndPoint, error.Message, StringComparison.Ordinal);
        Assert.Contains("corrupt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnsolicitedReply_ResetsTheConnectionInsteadOfShiftingReplies()
    {
        var connections = 0;
        await using var peer = FakePeer.Start(async (stream, reader) =>
        {
            var connection = Interlocked.Increment(ref connections);
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.StartsWith('*'))
                {
                    continue;
                }

                if (line.StartsWith('$'))
                {
                    var command = (await reader.ReadLineAsync())!.ToUpperInvariant();

                    // Only the command name matters to this peer; its arguments are read and ignored.
                    if (command == "HELLO")
                    {
                        await Write(stream, "-ERR unknown command 'HELLO'\r\n");
                    }
                    else if (command == "PING")
                    {
                        await Write(stream, "+PONG\r\n");
                    }
                    else if (command == "GET")
                    {
                        // The first connection answers twice: a broken peer.
                        await Write(stream, connection == 1 ? "$1\r\na\r\n$1\r\nb\r\n" : "$1\r\nc\r\n");
                    }
                }
            }
        });
        await using var redis = await RedisMultiplexer.ConnectAsync(peer.EndPoint);
        var failed = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        var restored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        redis.ConnectionFailed += (_, e) => failed.TrySetResult(e.Exception!);
        redis.ConnectionRestored += (_, _) => restored.TrySetResult();

        Assert.Equal("a", (string?)await redis.GetDatabase().StringGetAsync("k"));
        var reason = await failed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await restored.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Contains("out of step", reason.Message, StringComparison.Ordinal);
        Assert.Equal("c", (string?)await redis.GetDatabase().StringGetAsync("k"));
    }

    private static Task Write(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    private sealed class FakePeer : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        private FakePeer(Func<NetworkStream, StreamReader, Task> serve)
        {
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            _loop = Task.Run(async () =>
            {
                var clients = new List<Task>();
                try
                {
                    while (true)
                    {
                        var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                        clients.Add(Task.Run(async () =>
                        {
                            using (client)
                            {
                                var stream = client.GetStream();
                                using var reader = new StreamReader(stream, Encoding.ASCII);
                                try
                                {
                                    await serve(stream, reader);
                                }
                                catch (IOException)
                                {
                                }
                            }
                        }));
                    }
                }
                catch (OperationCanceledException)
                {
                }
            });
        }

        public string EndPoint => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

        public static FakePeer Start(Func<NetworkStream, StreamReader, Task> serve) => new(serve);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _loop;
        }
    }
}
