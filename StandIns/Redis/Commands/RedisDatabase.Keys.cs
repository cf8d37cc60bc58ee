using System.Runtime.CompilerServices;

namespace McpPlatform.Redis;

public sealed partial class RedisDatabase
{
    /// <summary>DEL of one key; true when it existed.</summary>
    public async ValueTask<bool> KeyDeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return (await Send("DEL", [key], idempotent: false, cancellationToken).ConfigureAwait(false)).ToInt64() == 1;
    }

    /// <summary>DEL of several keys; returns how many existed.</summary>
    public async ValueTask<long> KeyDeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return 0;
        }

        var args = keys.Select(key => (RedisValue)key).ToArray();
        return (await Send("DEL", args, idempotent: false, cancellationToken).ConfigureAwait(false)).ToInt64();
    }

    /// <summary>EXISTS.</summary>
    public async ValueTask<bool> KeyExistsAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return (await Send("EXISTS", [key], idempotent: true, cancellationToken).ConfigureAwait(false)).ToInt64() == 1;
    }

    /// <summary>PEXPIRE; true when the key exists and now expires after <paramref name="expiry"/>.</summary>
    public async ValueTask<bool> KeyExpireAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return (await Send("PEXPIRE", [key, Milliseconds(expiry, nameof(expiry))], idempotent: true, cancellationToken).ConfigureAwait(false)).ToInt64() == 1;
    }

    /// <summary>PERSIST: removes the expiry; true when there was one.</summary>
    public async ValueTask<bool> KeyPersistAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return (await Send("PERSIST", [key], idempotent: true, cancellationToken).ConfigureAwait(false)).ToInt64() == 1;
    }

    /// <summary>PTTL: the time left, or null when the key does not exist or has no expiry.</summary>
    public async ValueTask<TimeSpan?> KeyTimeToLiveAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var milliseconds = (await Send("PTTL", [key], idempotent: true, cancellationToken).ConfigureAwait(false)).ToInt64();
        return milliseconds < 0 ? null : TimeSpan.FromMilliseconds(milliseconds);
    }

    /// <summary>SCAN over the keyspace: every key matching <paramref name="pattern"/>, one page at a time.</summary>
    public async IAsyncEnumerable<string> ScanAsync(string pattern = "*", int pageSize = 250, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var cursor = "0";
        do
        {
            var reply = await Send("SCAN", [cursor, "MATCH", pattern, "COUNT", pageSize], idempotent: true, cancellationToken).ConfigureAwait(false);
            cursor = reply[0].Value.ToString();
            foreach (var key in reply[1].Items)
            {
                yield return key.Value.ToString();
            }
        }
        while (cursor != "0");
    }
}
