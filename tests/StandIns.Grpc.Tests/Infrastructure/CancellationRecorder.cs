using System.Collections.Concurrent;

namespace McpPlatform.StandIns.Grpc.Tests.Infrastructure;

/// <summary>Remembers which named calls saw their CancellationToken fire in the handler.</summary>
public sealed class CancellationRecorder
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _cancelled = new();

    public void Record(string key) => Get(key).TrySetResult();

    public Task WaitAsync(string key, TimeSpan timeout) => Get(key).Task.WaitAsync(timeout);

    public bool WasCancelled(string key) => Get(key).Task.IsCompleted;

    private TaskCompletionSource Get(string key) =>
        _cancelled.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
