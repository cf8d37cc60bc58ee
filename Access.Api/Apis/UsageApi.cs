using System.Globalization;
using McpPlatform.Access.Api.Auth;
using McpPlatform.Access.Api.Usage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace McpPlatform.Access.Api.Apis;

/// <summary>GET /usage?from=2026-11-01&amp;to=2026-11-30 (UTC days, inclusive; default the last 30): the caller's per-day aggregates per server and tool.</summary>
internal static class UsageApi
{
    public const int MaxDays = 366;

    public static IEndpointRouteBuilder MapUsageApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/usage", GetAsync).RequireAuthorization();
        return endpoints;
    }

    public static async Task<Results<Ok<UsageReport>, ProblemHttpResult>> GetAsync(
        HttpContext context, UsageQueries queries, TimeProvider time, string? from, string? to, CancellationToken cancellationToken) =>
        await ReportAsync(queries, time, from, to, context.User.CallerId().ToString(), perUser: false, cancellationToken);

    public static async Task<Results<Ok<UsageReport>, ProblemHttpResult>> ReportAsync(
        UsageQueries queries, TimeProvider time, string? from, string? to, string? userId, bool perUser, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (!TryDay(to, today, out var last) || !TryDay(from, last.AddDays(-29), out var first))
        {
            return Problems.BadRequest("from and to are UTC days, yyyy-MM-dd.");
        }

        if (first > last || last.DayNumber - first.DayNumber >= MaxDays)
        {
            return Problems.BadRequest($"from must not be after to, and the range is at most {MaxDays} days.");
        }

        var days = await queries.DailyAsync(userId, perUser, first, last, cancellationToken);
        return TypedResults.Ok(new UsageReport(first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), last.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), days));
    }

    private static bool TryDay(string? text, DateOnly fallback, out DateOnly day)
    {
        day = fallback;
        return string.IsNullOrEmpty(text) || DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
    }

    public sealed record UsageReport(string From, string To, IReadOnlyList<UsageDay> Days);
}
