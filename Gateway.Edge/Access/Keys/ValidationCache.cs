using System.Collections.Concurrent;
using McpPlatform.Gateway.Edge.Access.Options;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Access.Keys;

/// <summary>
/// This replica's answers of ValidateKey, keyed by <see cref="KeyDigest"/>, each kept for the TTL Access.Api gave
/// (capped by options). Bounded: when full, expired entries go first, then arbitrary ones. A good answer may be
/// served past its TTL only while Access.Api is unreachable (<see cref="TryGetStale"/>). Revocations evict by key,
/// user or plan; an eviction also bumps a generation so that a validation already in flight when it arrived is not
/// cached afterwards (it may predate the revocation).
/// </summary>
internal sealed class ValidationCache(IOptionsMonitor<AccessOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _generation;

    public long Generation => Interlocked.Read(ref _generation);

    public int Count => _entries.Count;

    public bool TryGet(string digest, out KeyValidation validation)
    {
        if (_entries.TryGetValue(digest, out var entry) && time.GetUtcNow() < entry.FreshUntil)
        {
            validation = entry.Validation;
            return true;
        }

        validation = null!;
        return false;
    }

    /// <summary>A good answer past its TTL but within the stale window, for when Access.Api cannot answer.</summary>
    public bool TryGetStale(string digest, out KeyValidation validation)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(digest, out var entry) && entry.Validation.IsValid && now < entry.StaleUntil)
        {
            validation = entry.Validation;
            return true;
        }

        validation = null!;
        return false;
    }

    /// <summary>Keeps <paramref name="validation"/> for <paramref name="ttl"/> unless an eviction happened since <paramref name="generation"/>.</summary>
    public void Set(string digest, KeyValidation validation, TimeSpan ttl, long generation)
    {
        var cache = options.CurrentValue.Cache;
        var cap = validation.IsValid ? cache.MaxPositiveTtl : cache.MaxNegativeTtl;
        if (ttl > cap)
        {
            ttl = cap;
        }

        var now = time.GetUtcNow();
        var freshUntil = now + ttl;
        if (validation.KeyExpiresAt is { } expires && expires < freshUntil)
        {
            freshUntil = expires;
        }

        if (freshUntil <= now || Generation != generation)
        {
            return;
        }

        if (_entries.Count >= cache.MaxEntries)
        {
            Trim(now, cache.MaxEntries);
        }

        var staleUntil = freshUntil + cache.StaleIfError;
        if (validation.KeyExpiresAt is { } end && end < staleUntil)
        {
            staleUntil = end;
        }

        var entry = new Entry(validation, freshUntil, validation.IsValid ? staleUntil : freshUntil);
        _entries[digest] = entry;

        // An eviction between the check above and the write: take the write back.
        if (Generation != generation)
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(digest, entry));
        }
    }

    /// <summary>Forgets every answer about <paramref name="keyId"/>, <paramref name="userId"/> or <paramref name="planId"/> (nulls match nothing).</summary>
    public int Evict(string? keyId, string? userId, string? planId)
    {
        Interlocked.Increment(ref _generation);
        var removed = 0;
        foreach (var (digest, entry) in _entries)
        {
            if (entry.Validation.Caller is { } caller &&
                ((keyId is not null && string.Equals(caller.KeyId, keyId, StringComparison.OrdinalIgnoreCase)) ||
                 (userId is not null && string.Equals(caller.PrincipalId, userId, StringComparison.OrdinalIgnoreCase)) ||
                 (planId is not null && string.Equals(caller.Plan.PlanId, planId, StringComparison.Ordinal))) &&
                _entries.TryRemove(new KeyValuePair<string, Entry>(digest, entry)))
            {
                removed++;
            }
        }

        return removed;
    }

    /// <summary>Forgets everything (revocations may have been missed).</summary>
    public void Clear()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    private void Trim(DateTimeOffset now, int max)
    {
        foreach (var (digest, entry) in _entries)
        {
            if (entry.StaleUntil <= now)
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(digest, entry));
            }
        }

        // Still full (a flood of distinct keys): drop a tenth, rejections first; a dropped good key is only re-validated.
        var excess = _entries.Count - (max - Math.Max(1, max / 10));
        foreach (var (digest, entry) in _entries.OrderBy(pair => pair.Value.Validation.IsValid).Take(Math.Max(0, excess)))
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(digest, entry));
        }
    }

    private sealed record Entry(KeyValidation Validation, DateTimeOffset FreshUntil, DateTimeOffset StaleUntil);
}
