namespace McpPlatform.Gateway.Edge.Access.Policy;

/// <summary>Quotas run per calendar month in UTC: a month's counter is named by it and resets on the first of the next.</summary>
internal static class QuotaPeriod
{
    public static string Name(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    public static DateTimeOffset ResetsAt(DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
    }
}
