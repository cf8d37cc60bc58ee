using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Mcp.Stateless;

/// <summary>
/// Calls that answered <c>input_required</c> and wait for the client's retry, by a random id the signed
/// <c>requestState</c> carries. Taking one removes it (a replayed state finds nothing); one not taken within
/// <see cref="StatelessOptions.InputTimeout"/> is closed, which releases its process. Every parked call is also
/// recorded as this replica's (<see cref="ParkedCallOwners"/>), so a retry on another replica is sent on here.
/// </summary>
internal sealed class ParkedCalls(ParkedCallOwners owners, IOptions<StatelessOptions> options, TimeProvider time, ILogger<ParkedCalls> logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, (BridgedCall Call, ITimer Expiry)> _calls = new(StringComparer.Ordinal);

    public int Count => _calls.Count;

    public async Task<string> ParkAsync(BridgedCall call, CancellationToken cancellationToken)
    {
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var expiry = time.CreateTimer(_ => Expire(id), null, options.Value.InputTimeout, Timeout.InfiniteTimeSpan);
        _calls[id] = (call, expiry);
        // Recorded before the client hears of the state, so its retry finds the record on any replica.
        await owners.RecordAsync(id, options.Value.InputTimeout, cancellationToken).ConfigureAwait(false);
        return id;
    }

    public BridgedCall? Take(string id)
    {
        if (!_calls.TryRemove(id, out var parked))
        {
            return null;
        }

        parked.Expiry.Dispose();
        owners.Forget(id);
        return parked.Call;
    }

    public void Dispose()
    {
        foreach (var id in _calls.Keys)
        {
            Take(id)?.CloseAsync("shutdown");
        }
    }

    private void Expire(string id)
    {
        if (Take(id) is { } call)
        {
            StatelessLog.InputTimedOut(logger, call.Link.Server, call.Method);
            _ = call.CloseAsync("input timeout");
        }
    }
}
