namespace McpPlatform.Access.Api.Audit;

/// <summary>
/// The result of walking the chain: intact (with the row count), or the first broken link: the seq where the chain
/// stops holding and why.
/// </summary>
internal sealed record AuditVerification(bool Intact, long Rows, long? BrokenAtSeq, string? Reason)
{
    public override string ToString() => Intact
        ? $"audit chain intact: {Rows} rows"
        : $"audit chain broken at seq {BrokenAtSeq}: {Reason}";
}
