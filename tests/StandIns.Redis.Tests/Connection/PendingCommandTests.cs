using McpPlatform.Redis.Connection;

namespace McpPlatform.Redis.Tests.Connection;

public sealed class PendingCommandTests
{
    private static readonly RedisResult Reply = RedisResult.Scalar(RedisResultType.BulkString, "reply");

    private static long Later => Environment.TickCount64 + 60_000;

    [Fact]
    public async Task ReleasedByCallerAndPipeline_IsReusedAndTheOldAwaitableThrows()
    {
        var pool = new PendingCommandPool();
        var first = pool.Rent("GET", ["a"], idempotent: true, Later);
        var firstTask = first.Task;
        Assert.True(first.TrySetResult(Reply));
        Assert.Same(Reply, await firstTask);
        Assert.Equal(0, pool.Count);

        first.ReleaseFromPipeline();
        Assert.Equal(1, pool.Count);

        var second = pool.Rent("GET", ["b"], idempotent: true, Later);
        Assert.Same(first, second);
        Assert.NotEqual(0, second.Incarnation);
        Assert.False(second.IsCompleted);

        // The first caller's awaitable belongs to the old incarnation: it can never read the new caller's result.
        second.TrySetResult(RedisResult.Scalar(RedisResultType.BulkString, "someone else's"));
        Assert.Throws<InvalidOperationException>(() => firstTask.GetAwaiter().GetResult());
        Assert.Equal("someone else's", (await second.Task).ToString());
    }

    [Fact]
    public async Task CallerStillHolding_IsNotReusedWhenThePipelineLetsGo()
    {
        var pool = new PendingCommandPool();
        var command = pool.Rent("GET", ["a"], idempotent: true, Later);
        var task = command.Task;
        command.TrySetResult(Reply);
        command.ReleaseFromPipeline();
        command.ReleaseFromPipeline();
        Assert.Equal(0, pool.Count);

        Assert.Same(Reply, await task);
        Assert.Equal(1, pool.Count);
    }

    [Fact]
    public async Task CancelledWhileInFlight_LateReplyIsDroppedAndTheCommandIsNeverReused()
    {
        var pool = new PendingCommandPool();
        using var cancellation = new CancellationTokenSource();
        var command = pool.Rent("GET", ["a"], idempotent: true, Later);
        var task = command.Task;
        command.RegisterCancellation(cancellation.Token);

        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await task);

        // The reply arrives after the caller gave up: it completes nothing, and the next caller gets another object.
        Assert.False(command.TrySetResult(Reply));
        command.ReleaseFromPipeline();
        Assert.Equal(0, pool.Count);
        Assert.NotSame(command, pool.Rent("GET", ["b"], idempotent: true, Later));
    }

    [Fact]
    public async Task ReplyBeforeCancellation_TokenCancelledLaterDoesNotTouchTheNextIncarnation()
    {
        var pool = new PendingCommandPool();
        using var cancellation = new CancellationTokenSource();
        var first = pool.Rent("GET", ["a"], idempotent: true, Later);
        var firstTask = first.Task;
        first.RegisterCancellation(cancellation.Token);
        first.TrySetResult(Reply);
        await firstTask;
        first.ReleaseFromPipeline();

        var second = pool.Rent("GET", ["b"], idempotent: true, Later);
        Assert.Same(first, second);
        await cancellation.CancelAsync();
        Assert.False(second.IsCompleted);
        Assert.True(second.TrySetResult(Reply));
        Assert.Same(Reply, await second.Task);
    }

    [Fact]
    public async Task StaleTimeoutSweep_DoesNotExpireTheNextIncarnation()
    {
        var pool = new PendingCommandPool();
        var first = pool.Rent("GET", ["a"], idempotent: true, deadline: 0);
        first.TrySetResult(Reply);
        await first.Task;
        first.ReleaseFromPipeline();

        // The sweep enumerates a snapshot: it may still hold the reused object, now with a future deadline.
        var second = pool.Rent("GET", ["b"], idempotent: true, Later);
        Assert.Same(first, second);
        first.TryExpire(Environment.TickCount64, _ => new RedisTimeoutException("timed out"));
        Assert.False(second.IsCompleted);

        second.TryExpire(Later + 1, _ => new RedisTimeoutException("timed out"));
        await Assert.ThrowsAsync<RedisTimeoutException>(async () => await second.Task);
    }

    [Fact]
    public async Task ManyCallersReusingCommands_EachGetsItsOwnReply()
    {
        var pool = new PendingCommandPool();
        var workers = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                var expected = $"{worker}/{i}";
                var command = pool.Rent("ECHO", [expected], idempotent: true, Later);
                var task = command.Task;

                // Completed from another thread, as the reply batch does, while the caller may already be waiting.
                ThreadPool.UnsafeQueueUserWorkItem(
                    static state =>
                    {
                        state.TrySetResult(RedisResult.Scalar(RedisResultType.BulkString, state.Args[0].ToString()), inline: true);
                        state.ReleaseFromPipeline();
                    },
                    command,
                    preferLocal: false);
                Assert.Equal(expected, (await task).ToString());
            }
        }));

        await Task.WhenAll(workers);
        Assert.InRange(pool.Count, 1, PendingCommandPool.MaxPooled);
    }
}
