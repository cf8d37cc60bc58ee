using System.Security.Cryptography;

namespace McpPlatform.Stores.Concurrency;

internal static class LeaseIds
{
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    public static void Validate(string key, int limit, TimeSpan leaseTime)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (leaseTime < TimeSpan.FromMilliseconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(leaseTime), leaseTime, "A lease must last at least one millisecond.");
        }
    }
}
