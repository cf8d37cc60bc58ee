using Google.Protobuf;
using McpPlatform.Contracts.Access.V1;
using McpPlatform.Gateway.Edge.Access.Options;
using McpPlatform.Gateway.Edge.Access.Telemetry;
using McpPlatform.Redis;
using McpPlatform.Stores;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Access.Usage;

/// <summary>
/// The durable buffer: one Redis stream for every replica (<c>{prefix}usage</c>, <c>XADD … MAXLEN ~</c>), read through
/// the consumer group <c>gateways</c>. Each replica is a consumer; what it read and did not acknowledge stays pending
/// and is read again (<c>XREADGROUP … 0</c>); a crashed replica's pending entries are taken over by another after
/// <see cref="UsageOptions.ClaimIdle"/> (XAUTOCLAIM). Acknowledged entries are deleted (XACK + XDEL) so the stream
/// only holds what is still owed to Access.Api. The event id travels inside the entry (chosen when the call was
/// recorded), so an XADD retried after a dropped connection (it may have run) is counted once too. One append is one
/// entry (field <c>b</c>: the events, each length-delimited), so a gather of many calls costs one XADD, one read slot
/// and one XACK/XDEL; entries of the older one-event form (field <c>e</c>) are still read.
/// </summary>
internal sealed class RedisUsageBuffer : IUsageBuffer
{
    private const string Group = "gateways";
    private const string Single = "e";
    private const string Batch = "b";

    private readonly RedisMultiplexer _redis;
    private readonly IOptionsMonitor<AccessOptions> _options;
    private readonly TimeProvider _time;
    private readonly string _key;
    private readonly string _consumer;
    private bool _groupReady;
    private bool _ownPending = true;
    private long _depth;
    private DateTimeOffset _nextClaim;

    public RedisUsageBuffer(RedisMultiplexer redis, IOptions<StoreOptions> stores, IOptionsMonitor<AccessOptions> options, AccessMetrics metrics, TimeProvider time)
    {
        _redis = redis;
        _options = options;
        _time = time;
        _key = stores.Value.KeyPrefix + "usage";
        _consumer = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
        metrics.TrackBufferDepth(() => Depth);
    }

    public long Depth => Interlocked.Read(ref _depth);

    public async ValueTask AppendAsync(IReadOnlyList<UsageEvent> events, CancellationToken cancellationToken)
    {
        var db = _redis.GetDatabase();
        var max = _options.CurrentValue.Usage.StreamMaxLength;

        if (events.Count == 0)
        {
            return;
        }

        await db.StreamAddAsync(_key, [new(Batch, Encode(events))], max, approximate: true, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<BufferedUsage>> ReadAsync(int max, TimeSpan wait, TimeSpan window, CancellationToken cancellationToken)
    {
        var db = _redis.GetDatabase();
        await EnsureGroupAsync(db, cancellationToken).ConfigureAwait(false);
        try
        {
            Interlocked.Exchange(ref _depth, await db.StreamLengthAsync(_key, cancellationToken).ConfigureAwait(false));

            // 1. What this consumer read before and did not acknowledge (a failed send), oldest first.
            if (_ownPending)
            {
                var pending = await db.StreamReadGroupAsync(_key, Group, _consumer, max, id: "0", cancellationToken: cancellationToken).ConfigureAwait(false);
                if (pending.Length > 0)
                {
                    return Parse(pending);
                }

                _ownPending = false;
            }

            // 2. What a crashed replica left pending.
            var now = _time.GetUtcNow();
            if (now >= _nextClaim)
            {
                var claimIdle = _options.CurrentValue.Usage.ClaimIdle;
                _nextClaim = now + (claimIdle / 2);
                var (claimed, _) = await db.StreamAutoClaimAsync(_key, Group, _consumer, claimIdle, max, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (claimed.Length > 0)
                {
                    _ownPending = true;
                    return Parse(claimed);
                }
            }

            // 3. New entries, waiting on a dedicated connection.
            var fresh = await db.StreamReadGroupAsync(_key, Group, _consumer, max, wait, cancellationToken: cancellationToken).ConfigureAwait(false);
            _ownPending = fresh.Length > 0;
            if (fresh.Length > 0 && fresh.Length < max && window > TimeSpan.Zero)
            {
                // What was read is pending for this consumer already (read again from "0" if this wait is cut short);
                // one more read after the window turns a trickle of calls into one RecordUsage.
                await Task.Delay(window, _time, cancellationToken).ConfigureAwait(false);
                var more = await db.StreamReadGroupAsync(_key, Group, _consumer, max - fresh.Length, cancellationToken: cancellationToken).ConfigureAwait(false);
                fresh = [.. fresh, .. more];
            }

            return Parse(fresh);
        }
        catch (RedisServerException error) when (error.ErrorPrefix == "NOGROUP")
        {
            // Redis lost the group (restarted without persistence, or the stream was deleted): make it again.
            _groupReady = false;
            return [];
        }
    }

    public async ValueTask AcknowledgeAsync(IReadOnlyList<string> entryIds, CancellationToken cancellationToken)
    {
        if (entryIds.Count == 0)
        {
            return;
        }

        var db = _redis.GetDatabase();
        await db.StreamAcknowledgeAsync(_key, Group, [.. entryIds], cancellationToken).ConfigureAwait(false);
        await db.ExecuteAsync("XDEL", [_key, .. entryIds.Select(id => (RedisValue)id)], cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask EnsureGroupAsync(RedisDatabase db, CancellationToken cancellationToken)
    {
        if (!_groupReady)
        {
            // From "0": entries appended before any gateway created the group are owed too.
            await db.StreamCreateGroupAsync(_key, Group, "0", cancellationToken).ConfigureAwait(false);
            _groupReady = true;
            _ownPending = true;
        }
    }

    /// <summary>The events length-delimited one after another, in one array of exactly their size.</summary>
    private static byte[] Encode(IReadOnlyList<UsageEvent> events)
    {
        var length = 0;
        foreach (var usage in events)
        {
            var size = usage.CalculateSize();
            length += CodedOutputStream.ComputeLengthSize(size) + size;
        }

        var payload = new byte[length];
        var output = new CodedOutputStream(payload);
        foreach (var usage in events)
        {
            output.WriteMessage(usage);
        }

        output.CheckNoSpaceLeft();
        return payload;
    }

    private static List<BufferedUsage> Parse(StreamEntry[] entries)
    {
        var batch = new List<BufferedUsage>(entries.Length);
        foreach (var entry in entries)
        {
            // Not written by a gateway (by hand, or damaged): it carries no usage and is acknowledged unsent.
            batch.Add(new BufferedUsage(entry.Id, Events(entry)));
        }

        return batch;
    }

    private static List<UsageEvent> Events(StreamEntry entry)
    {
        var events = new List<UsageEvent>();
        try
        {
            if (entry[Batch].ToBytes() is { } batch)
            {
                // One reader over the whole entry (a reader per event would allocate its own buffer each time).
                var input = new CodedInputStream(batch);
                while (!input.IsAtEnd)
                {
                    var usage = new UsageEvent();
                    input.ReadMessage(usage);
                    events.Add(usage);
                }
            }
            else if (entry[Single].ToBytes() is { } single)
            {
                events.Add(UsageEvent.Parser.ParseFrom(single));
            }
        }
        catch (InvalidProtocolBufferException)
        {
            // A damaged entry: whatever was readable before the damage is kept; nothing after it can be trusted.
        }

        events.RemoveAll(usage => usage.EventId.Length == 0);
        return events;
    }
}
