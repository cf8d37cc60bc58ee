using System.Diagnostics;

namespace McpPlatform.StandIns.Grpc.Client;

/// <summary>
/// Round robin over a channel's addresses. An address whose connection failed is skipped until its
/// back-off (1 s, doubling to 30 s) passes; then the next call tries it again (reconnect). When every
/// address is backing off, calls still go to the one that recovers first rather than failing fast.
/// </summary>
internal sealed class AddressBalancer
{
    private static readonly long MaxBackoffTicks = Stopwatch.Frequency * 30;
    private readonly Uri[] _addresses;
    private readonly long[] _retryAt;
    private readonly int[] _failures;
    private uint _next;

    public AddressBalancer(IReadOnlyList<Uri> addresses)
    {
        _addresses = addresses.ToArray();
        _retryAt = new long[_addresses.Length];
        _failures = new int[_addresses.Length];
    }

    public int Count => _addresses.Length;

    public Uri this[int index] => _addresses[index];

    /// <summary>Picks the next healthy address, never <paramref name="exclude"/> when another exists.</summary>
    public int Pick(int exclude = -1)
    {
        if (_addresses.Length == 1)
        {
            return 0;
        }

        var now = Stopwatch.GetTimestamp();
        var best = -1;
        for (var attempt = 0; attempt < _addresses.Length; attempt++)
        {
            var index = (int)(Interlocked.Increment(ref _next) % (uint)_addresses.Length);
            if (index == exclude)
            {
                continue;
            }

            if (Volatile.Read(ref _retryAt[index]) <= now)
            {
                return index;
            }

            if (best < 0 || _retryAt[index] < _retryAt[best])
            {
                best = index;
            }
        }

        return best < 0 ? 0 : best;
    }

    public bool IsHealthy(int index) => Volatile.Read(ref _retryAt[index]) <= Stopwatch.GetTimestamp();

    public void ReportFailure(int index)
    {
        var failures = Math.Min(Interlocked.Increment(ref _failures[index]), 16);
        var backoff = Math.Min(Stopwatch.Frequency << (failures - 1), MaxBackoffTicks);
        Volatile.Write(ref _retryAt[index], Stopwatch.GetTimestamp() + backoff);
    }

    public void ReportSuccess(int index)
    {
        if (Volatile.Read(ref _failures[index]) != 0)
        {
            Volatile.Write(ref _failures[index], 0);
            Volatile.Write(ref _retryAt[index], 0);
        }
    }
}
