using McpPlatform.Contracts.Keys;
using McpPlatform.Gateway.Edge.Access.Keys;
using McpPlatform.Gateway.Edge.Access.Options;
using McpPlatform.Gateway.Edge.Access.Policy;
using McpPlatform.Gateway.Edge.Access.Telemetry;
using Microsoft.Extensions.Options;
using Reason = McpPlatform.Contracts.Access.V1.Rejection.Types.Reason;

namespace McpPlatform.Gateway.Edge.Access.Authentication;

/// <summary>
/// Authenticates an MCP request by its <c>Authorization: Bearer</c> credential, and nothing else (a credential in the
/// query string is refused unread). An API key is checked for shape and checksum first (a malformed key never costs a
/// lookup), then validated through <see cref="ApiKeyValidator"/>; Identity's access tokens are not accepted yet.
/// Without a credential, servers in <c>Gateway:AnonymousServers</c> take the caller as <c>anonymous:{ip}</c>, limited
/// per IP by the policy.
/// </summary>
internal sealed class BearerAuthenticator(
    ApiKeyValidator validator,
    AccessDenials denials,
    AccessMetrics metrics,
    IOptionsMonitor<AccessOptions> options) : ICallerAuthenticator
{
    // RFC 6750 §2.3 and the names clients commonly misuse; refused so a key never travels in a URL the client logs.
    private static readonly string[] QueryCredentialNames = ["access_token", "api_key", "apikey", "key", "token"];

    private static readonly System.Buffers.SearchValues<char> AlphaNumeric =
        System.Buffers.SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    public async ValueTask<AuthenticationResult> AuthenticateAsync(HttpContext context, string server, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(server);
        var result = await AuthenticateCoreAsync(context, server, cancellationToken).ConfigureAwait(false);
        if (result.Denial is { } denial)
        {
            metrics.Denied(denial.Reason);
        }

        return result;
    }

    private async ValueTask<AuthenticationResult> AuthenticateCoreAsync(HttpContext context, string server, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (QueryCredentialNames.Any(request.Query.ContainsKey))
        {
            return Fail(denials.InvalidRequest(context, server,
                "Credentials are not accepted in the URL; send 'Authorization: Bearer <API key>' and revoke a key that was put in a URL."));
        }

        var headers = request.Headers.Authorization;
        if (headers.Count == 0)
        {
            return options.CurrentValue.AnonymousServers.Contains(server, StringComparer.Ordinal)
                ? AuthenticationResult.Success(Anonymous(context))
                : Fail(denials.MissingCredentials(context, server));
        }

        if (headers.Count > 1)
        {
            return Fail(denials.InvalidRequest(context, server, "Send exactly one Authorization header."));
        }

        var header = headers[0] ?? string.Empty;
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Fail(denials.InvalidToken(context, server, "unsupported_scheme", "Only the Bearer scheme is accepted: 'Authorization: Bearer <API key>'."));
        }

        var credential = header.AsSpan("Bearer ".Length).Trim().ToString();
        if (credential.Length == 0)
        {
            return Fail(denials.InvalidToken(context, server, "key_malformed", "The bearer credential is empty."));
        }

        if (LooksLikeJwt(credential))
        {
            return Fail(denials.InvalidToken(context, server, "token_not_supported",
                "Access tokens from the authorization server are not accepted yet; use an API key (sk_live_… or sk_test_…)."));
        }

        if (!ApiKeyFormat.TryParse(credential, out _))
        {
            metrics.Validated("format", HasKeyShape(credential) ? "bad_checksum" : "malformed");
            return HasKeyShape(credential)
                ? Fail(denials.InvalidToken(context, server, "key_bad_checksum", "The API key's checksum does not match: it was mistyped or truncated."))
                : Fail(denials.InvalidToken(context, server, "key_malformed", "The bearer credential is not an API key: expected sk_live_ or sk_test_ followed by 49 letters and digits."));
        }

        var ip = context.Connection.RemoteIpAddress?.ToString() ?? "";
        var validation = await validator.ValidateAsync(credential, ip, cancellationToken).ConfigureAwait(false);
        if (validation.Caller is { } caller)
        {
            return Authorize(context, server, caller);
        }

        if (validation.Rejection is { } reason)
        {
            var message = string.IsNullOrWhiteSpace(validation.Message) ? "The API key is not valid." : validation.Message;
            return reason == Reason.ServerNotAllowed
                ? Fail(denials.InsufficientScope(context, server, null, "server_not_allowed", message))
                : Fail(denials.InvalidToken(context, server, ReasonName(reason), message));
        }

        return Fail(AccessDenials.AccessUnavailable());
    }

    // The key is good; may it use this server at all? (The plan's servers, then the key's scopes.)
    private AuthenticationResult Authorize(HttpContext context, string server, Caller caller)
    {
        if (!ScopeGlob.PlanAllows(caller, server))
        {
            return Fail(denials.InsufficientScope(context, server, null, "server_not_allowed", $"The plan '{caller.Plan.PlanId}' does not include this server."));
        }

        if (!ScopeGlob.ScopesAllowServer(caller, server))
        {
            return Fail(denials.InsufficientScope(context, server, null, "insufficient_scope", "The API key's scopes do not include this server."));
        }

        return AuthenticationResult.Success(caller);
    }

    private Caller Anonymous(HttpContext context)
    {
        var ip = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var limits = options.CurrentValue.Anonymous;
        var plan = new CallerPlan("anonymous", limits.RequestsPerSecond, limits.Burst, 0, 0, [], 0);
        return new Caller($"anonymous:{ip}", $"anonymous:{ip}", null, plan, [], IsAnonymous: true);
    }

    private static AuthenticationResult Fail(AccessDenial denial) => AuthenticationResult.Fail(denial);

    private static bool HasKeyShape(string credential) =>
        credential.Length == 8 + ApiKeyFormat.SecretLength + ApiKeyFormat.ChecksumLength &&
        (credential.StartsWith("sk_live_", StringComparison.Ordinal) || credential.StartsWith("sk_test_", StringComparison.Ordinal)) &&
        credential.AsSpan(8).ContainsAnyExcept(AlphaNumeric) is false;

    private static bool LooksLikeJwt(string credential) =>
        credential.StartsWith("eyJ", StringComparison.Ordinal) && credential.AsSpan().Count('.') == 2;

    private static string ReasonName(Reason reason) => reason switch
    {
        Reason.Malformed => "key_malformed",
        Reason.BadChecksum => "key_bad_checksum",
        Reason.WrongEnvironment => "key_wrong_environment",
        Reason.Unknown => "key_unknown",
        Reason.Revoked => "key_revoked",
        Reason.Expired => "key_expired",
        Reason.UserDisabled => "user_disabled",
        _ => "invalid_token",
    };
}
