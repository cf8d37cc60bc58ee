using McpPlatform.Redis;
using McpPlatform.Stores;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Mcp.Stateless;

/// <summary>
/// Which replica holds each parked call (<c>{prefix}parked:{callId}</c> → that replica's URL, for as long as the call
/// may wait), so a retry that lands on another replica is sent on to the one whose memory holds the waiting process.
/// The address comes from Redis, written by a replica, never from the client: a made-up <c>requestState</c> finds
/// nothing and cannot make the gateway call an address of the client's choosing. Without Redis the gateway runs as
/// one replica and there is nobody to ask.
/// </summary>
internal sealed class ParkedCallOwners(IServiceProvider services, IOptions<StoreOptions> stores, ReplicaAddress self, ILogger<ParkedCallOwners> logger)
{
    private readonly RedisDatabase? _db = services.GetService<RedisMultiplexer>()?.GetDatabase();
    private readonly string _prefix = stores.Value.KeyPrefix + "parked:";

    /// <summary>Notes that this replica holds <paramref name="callId"/> for <paramref name="lifetime"/>; a Redis failure only costs the cross-replica retry.</summary>
    public async Task RecordAsync(string callId, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        if (_db is null || self.Url is not { } url)
        {
            return;
        }

        try
        {
            await _db.StringSetAsync(_prefix + callId, url.ToString(), lifetime, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RedisException ex)
        {
            StatelessLog.OwnerNotRecorded(logger, ex.Message);
        }
    }

    /// <summary>The replica holding <paramref name="callId"/>, or null when none does (taken, expired, unknown) or it is this one.</summary>
    public async Task<Uri?> OwnerAsync(string callId, CancellationToken cancellationToken)
    {
        if (_db is null || callId.Length != 32 || !callId.All(char.IsAsciiHexDigitUpper))
        {
            return null;
        }

        try
        {
            var owner = (string?)await _db.StringGetAsync(_prefix + callId, cancellationToken).ConfigureAwait(false);
            return owner is not null && Uri.TryCreate(owner, UriKind.Absolute, out var url) && url != self.Url ? url : null;
        }
        catch (RedisException ex)
        {
            StatelessLog.OwnerNotRecorded(logger, ex.Message);
            return null;
        }
    }

    /// <summary>The call was taken or closed here: nobody should be sent to this replica for it any more.</summary>
    public void Forget(string callId)
    {
        if (_db is not null)
        {
            _ = ForgetAsync(callId);
        }
    }

    private async Task ForgetAsync(string callId)
    {
        try
        {
            await _db!.KeyDeleteAsync(_prefix + callId).ConfigureAwait(false);
        }
        catch (RedisException)
        {
            // The record lapses with the call's InputTimeout anyway.
        }
    }
}
