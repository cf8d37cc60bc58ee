using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Mcp.Stateless;

/// <summary>
/// Calls that answered <c>input_required</c> and wait for the client's retry, by a random id the signed
/// <c>requestState</c> carries. Taking one removes it (a replayed state finds nothing); one not taken within
/// <see cref="StatelessOptions.InputTimeout"/> is closed, which releases its process.
/// </summary>
internal sealed class ParkedCalls(IOptions<StatelessOptions> options, TimeProvider time, ILogger<ParkedCalls> logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, (BridgedCall Call, ITimer Expiry)> _calls = new(StringComparer.Ordinal);

    public int Count => _calls.Count;

    public string Park(BridgedCall call)
    {
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var expiry = time.CreateTimer(_ => Expire(id), null, options.Value.InputTimeout, Timeout.InfiniteTimeSpan);
        _calls[id] = (call, expiry);
        return id;
    }

    public BridgedCall? Take(string id)
    {
        if (!_calls.TryRemove(id, out var parked))
        {
            return null;
        }

        parked.Expiry.Dispose();
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
