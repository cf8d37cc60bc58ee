using Dapper;
using Google.Protobuf.WellKnownTypes;
using McpPlatform.Access.Api.Audit;
using McpPlatform.Access.Api.Data;
using McpPlatform.Access.Api.Options;
using McpPlatform.Access.Api.Telemetry;
using McpPlatform.Contracts.Access.V1;
using McpPlatform.Contracts.Keys;
using Microsoft.Extensions.Options;
using Npgsql;
using Reason = McpPlatform.Contracts.Access.V1.Rejection.Types.Reason;

namespace McpPlatform.Access.Api.Keys;

/// <summary>
/// Answers "is this key good, for this server, and whose is it": the gRPC ValidateKey and REST authentication both
/// come here. Shape and checksum are checked before any lookup; the lookup is one indexed query on the key's HMAC.
/// </summary>
internal sealed class KeyValidator(
    NpgsqlDataSource dataSource,
    KeyHasher hasher,
    LastUsedTracker lastUsed,
    FailedValidationAuditor failures,
    AccessMetrics metrics,
    IOptions<AccessOptions> options,
    TimeProvider time)
{
    private const string LookupSql =
        """
        SELECT k.id, k.user_id, k.name, k.display_prefix, k.scopes::text AS scopes, k.plan_overrides::text AS plan_overrides,
               k.expires_at, k.revoked_at, k.grace_ends_at, u.disabled AS user_disabled, u.roles,
               p.id AS plan_id, p.name AS plan_name, p.requests_per_second, p.burst, p.max_concurrent_jobs,
               p.monthly_quota, p.allowed_servers, p.max_open_sessions
        FROM api_keys k JOIN users u ON u.id = k.user_id JOIN plans p ON p.id = u.plan_id
        WHERE k.hash = @Hash
        """;

    public async Task<ValidateKeyResponse> ValidateAsync(string? key, string server, string clientIp, CancellationToken cancellationToken)
    {
        var response = await ValidateCoreAsync(key, server ?? "", cancellationToken).ConfigureAwait(false);
        var reason = response.Rejected?.Reason;
        metrics.Validated(reason is null ? "valid" : ResultName(reason.Value));
        if (reason is { } rejected)
        {
            failures.Record(rejected, key, server ?? "", clientIp ?? "", response.Rejected!.Message);
        }

        return response;
    }

    private async Task<ValidateKeyResponse> ValidateCoreAsync(string? key, string server, CancellationToken cancellationToken)
    {
        if (KeyShape.Check(key, out var environment) is { } shapeProblem)
        {
            return Reject(shapeProblem, shapeProblem == Reason.BadChecksum
                ? "The API key's checksum does not match: it was mistyped or truncated."
                : "The API key is malformed: expected sk_live_ or sk_test_ followed by 49 letters and digits.");
        }

        if (environment != hasher.Environment)
        {
            return Reject(Reason.WrongEnvironment,
                $"This is a {(environment == ApiKeyEnvironment.Live ? "live" : "test")} key; this deployment accepts {hasher.EnvironmentName} keys only.");
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<KeyLookupRow>(
            new CommandDefinition(LookupSql, new { Hash = hasher.Hash(key!) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var now = time.GetUtcNow().UtcDateTime;
        if (row is null)
        {
            return Reject(Reason.Unknown, "The API key is not known.");
        }

        if (row.RevokedAt is { } revoked && revoked <= now)
        {
            return Reject(Reason.Revoked, "The API key was revoked.");
        }

        if (row.GraceEndsAt is { } graceEnd && graceEnd <= now)
        {
            return Reject(Reason.Expired, "The API key was rotated and its grace period has ended; use its replacement.");
        }

        if (row.ExpiresAt is { } expires && expires <= now)
        {
            return Reject(Reason.Expired, "The API key has expired.");
        }

        if (row.UserDisabled)
        {
            return Reject(Reason.UserDisabled, "The account that owns this API key is disabled.");
        }

        var plan = JsonColumns.Read<PlanOverrides>(row.PlanOverrides).Apply(new PlanRow
        {
            Id = row.PlanId,
            Name = row.PlanName,
            RequestsPerSecond = row.RequestsPerSecond,
            Burst = row.Burst,
            MaxConcurrentJobs = row.MaxConcurrentJobs,
            MonthlyQuota = row.MonthlyQuota,
            AllowedServers = row.AllowedServers,
            MaxOpenSessions = row.MaxOpenSessions,
        });
        var scopes = JsonColumns.Scopes(row.Scopes);
        if (server.Length > 0)
        {
            if (plan.AllowedServers.Count > 0 && !Glob.AnyMatch(plan.AllowedServers, server))
            {
                return Reject(Reason.ServerNotAllowed, $"The plan '{plan.Name}' does not include this server.");
            }

            if (scopes.Length > 0 && !scopes.Any(scope => Glob.IsMatch(scope.Server, server)))
            {
                return Reject(Reason.ServerNotAllowed, "The API key's scopes do not include this server.");
            }
        }

        lastUsed.Touch(row.Id, now);
        var principal = new Principal
        {
            UserId = row.UserId.ToString(),
            TenantId = row.UserId.ToString(),
            KeyId = row.Id.ToString(),
            KeyPrefix = row.DisplayPrefix + "…",
            KeyName = row.Name,
            Environment = hasher.EnvironmentName,
            Plan = plan,
        };
        principal.Scopes.AddRange(scopes.Select(scope => new Scope { Server = scope.Server, Tool = scope.Tool }));
        principal.Roles.AddRange(row.Roles);
        var end = Earliest(row.ExpiresAt, row.GraceEndsAt);
        if (end is { } endsAt)
        {
            principal.ExpiresAt = Timestamp.FromDateTime(DateTime.SpecifyKind(endsAt, DateTimeKind.Utc));
        }

        // Never cache a good answer past the key's own end.
        var ttl = options.Value.PositiveCacheTtl;
        if (end is { } until && until - now < ttl)
        {
            ttl = until - now;
        }

        return new ValidateKeyResponse { Principal = principal, CacheTtl = Duration.FromTimeSpan(ttl) };
    }

    private ValidateKeyResponse Reject(Reason reason, string message) => new()
    {
        Rejected = new Rejection { Reason = reason, Message = message },
        CacheTtl = Duration.FromTimeSpan(options.Value.NegativeCacheTtl),
    };

    private static DateTime? Earliest(DateTime? a, DateTime? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;

    public static string ResultName(Reason reason) => reason switch
    {
        Reason.Malformed => "malformed",
        Reason.BadChecksum => "bad_checksum",
        Reason.WrongEnvironment => "wrong_environment",
        Reason.Unknown => "unknown",
        Reason.Revoked => "revoked",
        Reason.Expired => "expired",
        Reason.UserDisabled => "user_disabled",
        Reason.ServerNotAllowed => "server_not_allowed",
        _ => "unspecified",
    };
}
