using System.Collections.Concurrent;
using Grpc.Core;
using McpPlatform.Contracts.Access.V1;
using McpPlatform.Gateway.Edge.Access.Telemetry;

namespace McpPlatform.Gateway.Edge.Access.Keys;

/// <summary>
/// Answers "is this well-formed key good" from this replica's cache, or from Access.Api's ValidateKey with one call
/// in flight per key however many requests present it at once (single flight). Access.Api unreachable: a good
/// answer cached a little longer ago still works (<see cref="ValidationCache.TryGetStale"/>), anything else is
/// <see cref="KeyValidation.Unavailable"/>. The key is validated for itself (no server): server rules are the
/// policy's, so one answer serves every server.
/// </summary>
internal sealed class ApiKeyValidator(AccessApiClient client, ValidationCache cache, AccessMetrics metrics, ILogger<ApiKeyValidator> logger)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<KeyValidation>>> _inFlight = new(StringComparer.Ordinal);

    public async ValueTask<KeyValidation> ValidateAsync(string key, string clientIp, CancellationToken cancellationToken)
    {
        var digest = KeyDigest.Of(key);
        if (cache.TryGet(digest, out var cached))
        {
            metrics.Validated("cache", Result(cached));
            return cached;
        }

        // The shared call is not tied to the first caller's cancellation: the others still want its answer.
        var flight = _inFlight.GetOrAdd(digest, static (d, state) => new Lazy<Task<KeyValidation>>(
            () => state.Self.FetchAsync(d, state.Key, state.Ip)), (Self: this, Key: key, Ip: clientIp));
        return await flight.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<KeyValidation> FetchAsync(string digest, string key, string clientIp)
    {
        var generation = cache.Generation;
        try
        {
            var response = await client.ValidateKeyAsync(new ValidateKeyRequest { ApiKey = key, Server = "", ClientIp = clientIp }, CancellationToken.None).ConfigureAwait(false);
            var validation = FromResponse(response);
            if (validation is null)
            {
                AccessLog.EmptyValidation(logger);
                return Fallback(digest);
            }

            cache.Set(digest, validation, response.CacheTtl?.ToTimeSpan() ?? TimeSpan.Zero, generation);
            metrics.Validated("access_api", Result(validation));
            return validation;
        }
        catch (RpcException exception)
        {
            AccessLog.ValidateFailed(logger, exception.StatusCode.ToString(), exception.Status.Detail);
            return Fallback(digest);
        }
        finally
        {
            // Runs before the shared task completes, so no newer flight for this digest can exist yet.
            _inFlight.TryRemove(digest, out _);
        }
    }

    private KeyValidation Fallback(string digest)
    {
        if (cache.TryGetStale(digest, out var stale))
        {
            metrics.Validated("stale", "valid");
            return stale;
        }

        metrics.Validated("access_api", "unavailable");
        return KeyValidation.Unavailable;
    }

    private static KeyValidation? FromResponse(ValidateKeyResponse response) => response.ResultCase switch
    {
        ValidateKeyResponse.ResultOneofCase.Principal => FromPrincipal(response.Principal),
        ValidateKeyResponse.ResultOneofCase.Rejected => new KeyValidation(null, response.Rejected.Reason, response.Rejected.Message),
        _ => null,
    };

    private static KeyValidation FromPrincipal(Principal principal)
    {
        var plan = principal.Plan ?? new Plan { PlanId = "none" };
        var caller = new Caller(
            principal.UserId,
            string.IsNullOrEmpty(principal.TenantId) ? principal.UserId : principal.TenantId,
            principal.KeyId,
            new CallerPlan(plan.PlanId, plan.RequestsPerSecond, plan.Burst, plan.MaxConcurrentJobs, plan.MonthlyQuota, [.. plan.AllowedServers], plan.MaxOpenSessions),
            [.. principal.Scopes.Select(scope => new ScopeGrant(scope.Server, scope.Tool))]);
        return new KeyValidation(caller, null, null, principal.ExpiresAt?.ToDateTimeOffset());
    }

    private static string Result(KeyValidation validation) =>
        validation.IsValid ? "valid" : validation.Rejection is { } reason ? reason.ToString().ToLowerInvariant() : "unavailable";
}
