using McpPlatform.StandIns.Grpc.Multiplexing;

namespace McpPlatform.StandIns.Grpc.Tests.Multiplexing;

/// <summary>The per-call event queue a multiplexed call's reader waits on.</summary>
public sealed class CallEventQueueTests
{
    [Fact]
    public async Task EventsWrittenBeforeTheCompletion_AreAllReadInOrder_ThenTheWaitSaysDone()
    {
        var queue = new CallEventQueue<string>();
        Assert.True(queue.TryWrite("a"));
        Assert.True(queue.TryWrite("b"));
        Assert.True(queue.Complete());

        Assert.Equal(["a", "b"], await ReadAllAsync(queue));
        Assert.False(await queue.WaitToReadAsync());
    }

    [Fact]
    public async Task WaitingReader_IsWokenByAWrite_AndByTheCompletion()
    {
        var queue = new CallEventQueue<string>();
        var wait = queue.WaitToReadAsync();
        Assert.False(wait.IsCompleted);
        queue.TryWrite("first");
        Assert.True(await wait);
        Assert.True(queue.TryRead(out var first));
        Assert.Equal("first", first);

        var end = queue.WaitToReadAsync();
        Assert.False(end.IsCompleted);
        queue.Complete();
        Assert.False(await end);
    }

    [Fact]
    public void AfterTheCompletion_WritesAreRefusedAndASecondCompletionIsANoOp()
    {
        var queue = new CallEventQueue<string>();
        Assert.True(queue.Complete());
        Assert.False(queue.Complete());
        Assert.False(queue.TryWrite("late"));
        Assert.False(queue.TryRead(out _));
    }

    [Fact]
    public void SecondWaiterAtOnce_IsRefused()
    {
        var queue = new CallEventQueue<string>();
        _ = queue.WaitToReadAsync();
        Assert.Throws<InvalidOperationException>(() => queue.WaitToReadAsync());
    }

    [Fact]
    public async Task WriterAndReaderOnDifferentThreads_LoseNothingAndKeepTheOrder()
    {
        const int Count = 20_000;
        var queue = new CallEventQueue<string>();
        var reading = Task.Run(() => ReadAllAsync(queue));
        await Task.Run(async () =>
        {
            for (var i = 0; i < Count; i++)
            {
                Assert.True(queue.TryWrite(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                if (i % 64 == 0)
                {
                    await Task.Yield();
                }
            }

            queue.Complete();
        });

        var read = await reading.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Enumerable.Range(0, Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), read);
    }

    private static async Task<List<string>> ReadAllAsync(CallEventQueue<string> queue)
    {
        var read = new List<string>();
        while (await queue.WaitToReadAsync())
        {
            while (queue.TryRead(out var item))
            {
                read.Add(item);
            }
        }

        return read;
    }
}
