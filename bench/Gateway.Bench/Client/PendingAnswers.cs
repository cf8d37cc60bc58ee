using System.Collections.Concurrent;

namespace McpPlatform.Bench.Gateway.Client;

/// <summary>
/// Answers that arrive on a stream shared by a session's requests (legacy SSE, stdio), matched to
/// their request by id. An answer with an id nobody waits for is a stray: counted run-wide, because
/// it means a gateway delivered someone else's answer to this session.
/// </summary>
public sealed class PendingAnswers
{
    private static long s_strays;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<RawAnswer>> _pending = new();

    /// <summary>Answers, across the whole run, that matched no pending request of the session they reached.</summary>
    public static long Strays => Interlocked.Read(ref s_strays);

    public Task<RawAnswer> Expect(long id)
    {
        var source = new TaskCompletionSource<RawAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = source;
        return source.Task;
    }

    public void Forget(long id) => _pending.TryRemove(id, out _);

    /// <summary>Hands a received message to the request it answers; ignores requests and notifications.</summary>
    public void Deliver(byte[] message)
    {
        if (!JsonRpc.IsResponse(message))
        {
            return;
        }
        if (JsonRpc.ResponseId(message) is { } id && _pending.TryRemove(id, out var source))
        {
            source.TrySetResult(RawAnswer.Of(message));
        }
        else
        {
            Interlocked.Increment(ref s_strays);
        }
    }

    /// <summary>Ends every waiting request with <paramref name="failure"/> (the stream or process ended).</summary>
    public void FailAll(CallOutcome failure)
    {
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var source))
            {
                source.TrySetResult(RawAnswer.None(failure));
            }
        }
    }
}
