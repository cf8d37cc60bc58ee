using McpPlatform.Redis.Connection;

namespace McpPlatform.Redis.Tests.Connection;

public sealed class ReplyBatchTests
{
    private static readonly RedisResult Reply = RedisResult.Scalar(RedisResultType.BulkString, "reply");

    [Fact]
    public async Task Run_CompletesEveryCommandInOrderOnOneThread()
    {
        var pool = new PendingCommandPool();
        var finished = new TaskCompletionSource<ReplyBatch>(TaskCreationOptions.RunContinuationsAsynchronously);
        var batch = new ReplyBatch(done => finished.TrySetResult(done));
        var order = new List<(int Index, int Thread)>();
        for (var i = 0; i < 40; i++)
        {
            var index = i;
            var command = pool.Rent("GET", ["k"], idempotent: true, Environment.TickCount64 + 60_000);
            var task = command.Task;
            await OnCompletedWithoutContext(task, () =>
            {
                task.GetAwaiter().GetResult();
                order.Add((index, Environment.CurrentManagedThreadId));
            });
            batch.Add(command, Reply);
        }

        ThreadPool.UnsafeQueueUserWorkItem(batch, preferLocal: false);

        Assert.Same(batch, await finished.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(Enumerable.Range(0, 40), order.Select(entry => entry.Index));
        Assert.Single(order.Select(entry => entry.Thread).Distinct());
        Assert.Equal(40, pool.Count);
    }

    [Fact]
    public async Task CallerBlockingOnALaterCallerOfItsBatch_IsRescuedByTheHandOff()
    {
        var pool = new PendingCommandPool();
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var batch = new ReplyBatch(_ => finished.TrySetResult());
        using var blocked = new ManualResetEventSlim();
        using var released = new ManualResetEventSlim();
        var first = pool.Rent("GET", ["a"], idempotent: true, Environment.TickCount64 + 60_000);
        var second = pool.Rent("GET", ["b"], idempotent: true, Environment.TickCount64 + 60_000);

        // The first caller blocks its thread until the second caller's continuation has run: run inline, one after
        // the other, that would never end.
        await OnCompletedWithoutContext(first.Task, () =>
        {
            blocked.Set();
            released.Wait(TimeSpan.FromSeconds(30));
        });
        await OnCompletedWithoutContext(second.Task, released.Set);
        batch.Add(first, Reply);
        batch.Add(second, Reply);

        var runner = new Thread(() => ((IThreadPoolWorkItem)batch).Execute()) { IsBackground = true };
        runner.Start();
        Assert.True(blocked.Wait(TimeSpan.FromSeconds(10)));

        // What the heartbeat does on two ticks: no progress in between, so the rest goes to the thread pool.
        Assert.False(batch.IsStalled());
        Assert.True(batch.IsStalled());
        batch.HandOffRemaining();

        await finished.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(released.IsSet);
        runner.Join();
    }

    [Fact]
    public void BatchMakingProgress_IsNotStalled()
    {
        var batch = new ReplyBatch(_ => { });
        var pool = new PendingCommandPool();
        batch.Add(pool.Rent("GET", ["a"], idempotent: true, Environment.TickCount64 + 60_000), Reply);
        ((IThreadPoolWorkItem)batch).Execute();

        Assert.False(batch.IsStalled());
        Assert.False(batch.IsStalled());
    }

    // Registered off the test's synchronization context: a continuation that captured a context is posted to it,
    // never run inline, and these tests are about the inline path.
    private static Task OnCompletedWithoutContext(ValueTask<RedisResult> task, Action continuation) =>
        Task.Run(() => task.GetAwaiter().UnsafeOnCompleted(continuation));
}
