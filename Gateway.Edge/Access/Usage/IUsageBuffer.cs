using McpPlatform.Contracts.Access.V1;

namespace McpPlatform.Gateway.Edge.Access.Usage;

/// <summary>
/// Where usage events wait until Access.Api has stored them: a Redis stream (durable, shared by every replica) or,
/// in single-node mode, memory. Entries are read, sent, and only then acknowledged; an unacknowledged entry is read
/// again with the same <c>event_id</c>, so Access.Api (idempotent per event_id) never counts it twice.
/// </summary>
internal interface IUsageBuffer
{
    /// <summary>Appends events (each already has its <c>event_id</c>; appending one twice is harmless).</summary>
    ValueTask AppendAsync(IReadOnlyList<UsageEvent> events, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="max"/> entries not yet acknowledged, oldest first: first those read before and not
    /// acknowledged, then new ones, waiting up to <paramref name="wait"/> for the first and then, when fewer than
    /// <paramref name="max"/> came, <paramref name="window"/> more for others (bigger batches downstream). An entry
    /// may hold several events (one append's); one that holds none (not written by a gateway) has an empty
    /// <see cref="BufferedUsage.Events"/>: acknowledge it, send nothing.
    /// </summary>
    ValueTask<IReadOnlyList<BufferedUsage>> ReadAsync(int max, TimeSpan wait, TimeSpan window, CancellationToken cancellationToken);

    /// <summary>Forgets entries (by <see cref="BufferedUsage.EntryId"/>) that Access.Api has stored.</summary>
    ValueTask AcknowledgeAsync(IReadOnlyList<string> entryIds, CancellationToken cancellationToken);

    /// <summary>Entries waiting (the last value seen; the metric reads it).</summary>
    long Depth { get; }
}

/// <summary>One buffer entry: its events and the buffer's id for it (what <see cref="IUsageBuffer.AcknowledgeAsync"/> takes).</summary>
internal sealed record BufferedUsage(string EntryId, IReadOnlyList<UsageEvent> Events);
