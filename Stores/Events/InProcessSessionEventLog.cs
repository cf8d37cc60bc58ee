using Microsoft.Extensions.Options;

namespace McpPlatform.Stores.Events;

/// <summary>
/// The single-node twin of <see cref="RedisSessionEventLog"/>: ids in Redis's <c>milliseconds-sequence</c> form from
/// the wall clock (kept increasing), the same continuity rules, and a signal per stream for waiters.
/// </summary>
internal sealed class InProcessSessionEventLog(TimeProvider time, IOptions<StoreOptions> options) : ISessionEventLog
{
    private readonly Dictionary<string, Dictionary<string, EventStream>> _sessions = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly StoreOptions _options = options.Value;

    public ValueTask<string> AppendAsync(string sessionId, string stream, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        EventLogArguments.Validate(sessionId, stream);
        TaskCompletionSource signal;
        string id;
        lock (_lock)
        {
            var log = LiveStreamLocked(sessionId, stream);

            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var next = now > log.LastId.Milliseconds ? new EntryIds(now, 0) : log.LastId with { Sequence = log.LastId.Sequence + 1 };
            log.Entries.Add(new SessionEvent(next.ToString(), message.ToArray()));
            log.Ids.Add(next);
            log.LastId = next;
            log.ExpiresAt = time.GetElapsedTime(0) + _options.EventLogRetention;
            if (log.Entries.Count > _options.EventLogMaxLength)
            {
                log.RemoveOldest(log.Entries.Count - _options.EventLogMaxLength);
            }

            id = next.ToString();
            signal = log.Signal;
            log.Signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signal.TrySetResult();
        return ValueTask.FromResult(id);
    }

    public ValueTask AppendWithIdAsync(string sessionId, string stream, string entryId, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        EventLogArguments.Validate(sessionId, stream, entryId);
        var id = EntryIds.Parse(entryId);
        TaskCompletionSource signal;
        lock (_lock)
        {
            var log = LiveStreamLocked(sessionId, stream);

            // As Redis's XADD: an id must be above the stream's last.
            if (id.CompareTo(log.LastId) <= 0)
            {
                throw new InvalidOperationException($"Entry id {entryId} is not above the stream's last id {log.LastId}.");
            }

            log.Entries.Add(new SessionEvent(entryId, message.ToArray()));
            log.Ids.Add(id);
            log.LastId = id;
            log.ExpiresAt = time.GetElapsedTime(0) + _options.RequestStreamRetention;
            if (log.Entries.Count > _options.EventLogMaxLength)
            {
                log.RemoveOldest(log.Entries.Count - _options.EventLogMaxLength);
            }

            signal = log.Signal;
            log.Signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signal.TrySetResult();
        return ValueTask.CompletedTask;
    }

    public ValueTask<EventReadResult> ReadAfterAsync(string sessionId, string stream, string? afterId, int maxCount, CancellationToken cancellationToken = default)
    {
        EventLogArguments.Validate(sessionId, stream, afterId, maxCount);
        lock (_lock)
        {
            return ValueTask.FromResult(ReadLocked(sessionId, stream, afterId, maxCount, out _));
        }
    }

    public async ValueTask<EventReadResult> WaitAfterAsync(string sessionId, string stream, string? afterId, int maxCount, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        EventLogArguments.Validate(sessionId, stream, afterId, maxCount);
        var deadline = time.GetElapsedTime(0) + wait;
        while (true)
        {
            EventReadResult result;
            Task signal;
            lock (_lock)
            {
                result = ReadLocked(sessionId, stream, afterId, maxCount, out var log);
                signal = log?.Signal.Task ?? WaitForStream(sessionId, stream);
            }

            var remaining = deadline - time.GetElapsedTime(0);
            if (result.Events.Count > 0 || !result.IsContinuous || remaining <= TimeSpan.Zero)
            {
                return result;
            }

            try
            {
                await signal.WaitAsync(remaining, time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return EventReadResult.EmptyContinuous;
            }
        }
    }

    public ValueTask<long> TrimAsync(string sessionId, string stream, TimeSpan maxAge, int maxLength, CancellationToken cancellationToken = default)
    {
        EventLogArguments.Validate(sessionId, stream);
        EventLogArguments.ValidateTrim(maxAge, maxLength);
        lock (_lock)
        {
            if (!_sessions.TryGetValue(sessionId, out var streams) || !streams.TryGetValue(stream, out var log))
            {
                return ValueTask.FromResult(0L);
            }

            var minimum = time.GetUtcNow().ToUnixTimeMilliseconds() - (long)maxAge.TotalMilliseconds;
            var old = log.Ids.TakeWhile(id => id.Milliseconds < minimum).Count();
            log.RemoveOldest(old);
            var excess = Math.Max(0, log.Entries.Count - maxLength);
            log.RemoveOldest(excess);
            return ValueTask.FromResult((long)(old + excess));
        }
    }

    public ValueTask DeleteSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        EventLogArguments.Validate(sessionId, "x");
        lock (_lock)
        {
            _sessions.Remove(sessionId);
        }

        return ValueTask.CompletedTask;
    }

    private EventReadResult ReadLocked(string sessionId, string stream, string? afterId, int maxCount, out EventStream? log)
    {
        log = null;
        if (_sessions.TryGetValue(sessionId, out var streams) && streams.TryGetValue(stream, out var found) && !IsExpired(found))
        {
            log = found;
        }

        if (afterId is null)
        {
            return new EventReadResult(log?.Entries.Take(maxCount).ToArray() ?? [], true);
        }

        if (log is null)
        {
            return new EventReadResult([], false);
        }

        var after = EntryIds.Parse(afterId);
        var index = log.Ids.BinarySearch(after);
        var continuous = index >= 0 || after == log.LastId;
        var start = index >= 0 ? index + 1 : ~index;
        return new EventReadResult(log.Entries.Skip(start).Take(maxCount).ToArray(), continuous);
    }

    private EventStream LiveStreamLocked(string sessionId, string stream)
    {
        if (!_sessions.TryGetValue(sessionId, out var streams))
        {
            _sessions[sessionId] = streams = new Dictionary<string, EventStream>(StringComparer.Ordinal);
        }

        if (!streams.TryGetValue(stream, out var log) || IsExpired(log))
        {
            streams[stream] = log = new EventStream();
        }

        return log;
    }

    // A waiter on a stream that does not exist yet waits for its creation: create it empty.
    private Task WaitForStream(string sessionId, string stream)
    {
        if (!_sessions.TryGetValue(sessionId, out var streams))
        {
            _sessions[sessionId] = streams = new Dictionary<string, EventStream>(StringComparer.Ordinal);
        }

        if (!streams.TryGetValue(stream, out var log) || IsExpired(log))
        {
            streams[stream] = log = new EventStream { ExpiresAt = time.GetElapsedTime(0) + _options.EventLogRetention };
        }

        return log.Signal.Task;
    }

    private bool IsExpired(EventStream log) => log.ExpiresAt <= time.GetElapsedTime(0);

    private sealed class EventStream
    {
        public List<SessionEvent> Entries { get; } = [];

        public List<EntryIds> Ids { get; } = [];

        public EntryIds LastId { get; set; }

        public TimeSpan ExpiresAt { get; set; }

        public TaskCompletionSource Signal { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void RemoveOldest(int count)
        {
            Entries.RemoveRange(0, count);
            Ids.RemoveRange(0, count);
        }
    }
}
