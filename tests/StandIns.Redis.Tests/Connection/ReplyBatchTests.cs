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
        // Three: the batch first looks at its inline budget after its fourth item, so a preempted runner cannot hand off.
        for (var i = 0; i < 3; i++)
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
        Assert.Equal(Enumerable.Range(0, 3), order.Select(entry => entry.Index));
        Assert.Single(order.Select(entry => entry.Thread).Distinct());
        Assert.Equal(3, pool.Count);
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
    public async Task SlowContinuation_HandsTheRestOfTheBatchToTheThreadPool()
    {
        var pool = new PendingCommandPool();
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var batch = new ReplyBatch(_ => finished.TrySetResult());
        var threads = new int[8];
        using var rest = new CountdownEvent(4);
        for (var i = 0; i < threads.Length; i++)
        {
            var index = i;
            var command = pool.Rent("GET", ["k"], idempotent: true, Environment.TickCount64 + 60_000);
            await OnCompletedWithoutContext(command.Task, () =>
            {
                threads[index] = Environment.CurrentManagedThreadId;
                if (index == 3)
                {
                    // Long work after the await (longer than the batch's inline budget).
                    Thread.Sleep(20);
                }

                if (index >= 4)
                {
                    rest.Signal();
                }
            });
            batch.Add(command, Reply);
        }

        var runner = new Thread(() => ((IThreadPoolWorkItem)batch).Execute()) { IsBackground = true };
        runner.Start();

        Assert.True(rest.Wait(TimeSpan.FromSeconds(10)));
        await finished.Task.WaitAsync(TimeSpan.FromSeconds(10));
        runner.Join();
        Assert.All(threads[..4], thread => Assert.Equal(runner.ManagedThreadId, thread));
        Assert.All(threads[4..], thread => Assert.NotEqual(runner.ManagedThreadId, thread));
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
