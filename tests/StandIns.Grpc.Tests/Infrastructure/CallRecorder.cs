using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace McpPlatform.StandIns.Grpc.Tests.Infrastructure;

/// <summary>What the test service's handlers saw: which named calls were cancelled, how many messages they wrote.</summary>
public sealed class CallRecorder
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _cancelled = new();
    private readonly ConcurrentDictionary<string, StrongBox<int>> _writes = new();

    public void Record(string key) => Get(key).TrySetResult();

    public Task WaitAsync(string key, TimeSpan timeout) => Get(key).Task.WaitAsync(timeout);

    /// <summary>A handler named by key is running (it reached its delay).</summary>
    public void RecordStarted(string key) => Get("started:" + key).TrySetResult();

    /// <summary>Waits until the call named by key is running on the server.</summary>
    public Task WaitStartedAsync(string key, TimeSpan timeout) => Get("started:" + key).Task.WaitAsync(timeout);

    public void CountWrite(string key) => Interlocked.Increment(ref _writes.GetOrAdd(key, _ => new StrongBox<int>()).Value);

    public int Writes(string key) => Volatile.Read(ref _writes.GetOrAdd(key, _ => new StrongBox<int>()).Value);

    /// <summary>Waits until the call named <paramref name="key"/> stopped writing (no change for 0.5 s) and returns its write count.</summary>
    public async Task<int> WaitForQuietAsync(string key)
    {
        var box = _writes.GetOrAdd(key, _ => new StrongBox<int>());
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var last = -1;
        var stable = 0;
        for (var tick = 0; tick < 300 && stable < 5; tick++)
        {
            await timer.WaitForNextTickAsync();
            var now = Volatile.Read(ref box.Value);
            stable = now == last ? stable + 1 : 0;
            last = now;
        }

        return last;
    }

    private TaskCompletionSource Get(string key) =>
        _cancelled.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
