using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace McpPlatform.Dispatcher.Grpc.Leases;

/// <summary>
/// Lease ids carry what they hold so any replica can renew or release them without a look-up:
/// "{24 random hex}.{base64url(worker id, slot id, plan key; U+001F between)}". The random part is the member of
/// the slot's (and plan's) lease set, so an id cannot be forged from the names alone.
/// </summary>
internal static class LeaseIds
{
    private const char Separator = '\u001f';

    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    public static string Create(string token, string workerId, string slotId, string? planKey) =>
        token + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join(Separator, workerId, slotId, planKey ?? "")));

    /// <summary>The store key of a slot's leases: "{worker id}:{slot id}".</summary>
    public static string SlotKey(string workerId, string slotId) => workerId + ":" + slotId;

    /// <summary>The store key of a plan's concurrent jobs for one tenant.</summary>
    public static string PlanKey(string planId, string tenantId) => "plan|" + planId + "|" + tenantId;

    public static bool TryParse(string? leaseId, out ParsedLeaseId parsed)
    {
        parsed = default;
        var dot = leaseId?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (leaseId is null || dot != 24)
        {
            return false;
        }

        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(leaseId.AsSpan(dot + 1))).Split(Separator);
            if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                return false;
            }

            parsed = new ParsedLeaseId(leaseId[..dot], parts[0], parts[1], parts[2].Length == 0 ? null : parts[2]);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

/// <summary>What a lease id says: its token, worker, slot and (when the plan limits concurrency) plan key.</summary>
internal readonly record struct ParsedLeaseId(string Token, string WorkerId, string SlotId, string? PlanKey)
{
    public string SlotKey => LeaseIds.SlotKey(WorkerId, SlotId);

    public string Server => SlotId[..Math.Max(SlotId.LastIndexOf('/'), 0)];
}
