using System.Security.Cryptography;
using System.Text;
using McpPlatform.Protocol.JsonRpc;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Access.Development;

/// <summary>
/// The access layer before Access.Api is wired in: the one development key that AppHost creates
/// (<c>Gateway:DevelopmentApiKey</c>) is an unlimited admin caller, servers listed in
/// <c>Gateway:AnonymousServers</c> take callers without credentials, everything else gets a 401 challenge.
/// Usage is dropped. Replaced by the Access.Api-backed implementation when that lands.
/// </summary>
internal sealed class DevelopmentAccess(IOptionsMonitor<DevelopmentAccessOptions> options) : ICallerAuthenticator, ICallPolicy, IUsageSink
{
    public ValueTask<AuthenticationResult> AuthenticateAsync(HttpContext context, string server, CancellationToken cancellationToken)
    {
        var current = options.CurrentValue;
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var presented = header["Bearer ".Length..].Trim();
            if (current.DevelopmentApiKey is { Length: > 0 } key && FixedTimeEquals(presented, key))
            {
                return ValueTask.FromResult(AuthenticationResult.Success(new Caller("development-admin", "development", "development-key", CallerPlan.Unlimited, [])));
            }

            return ValueTask.FromResult(AuthenticationResult.Fail(Challenge(context, server, "invalid_token", "The bearer credential is not valid. Use an API key (sk_live_… or sk_test_…) or sign in again.")));
        }

        if (current.AnonymousServers.Contains(server, StringComparer.Ordinal))
        {
            var ip = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            return ValueTask.FromResult(AuthenticationResult.Success(new Caller($"anonymous:{ip}", $"anonymous:{ip}", null, CallerPlan.Unlimited, [], IsAnonymous: true)));
        }

        return ValueTask.FromResult(AuthenticationResult.Fail(Challenge(context, server, null, "This server needs credentials: send Authorization: Bearer <API key or access token>.")));
    }

    public ValueTask<AccessDenial?> AuthorizeAsync(Caller caller, string server, string method, string? name, CancellationToken cancellationToken) =>
        ValueTask.FromResult<AccessDenial?>(null);

    public bool MayCallTool(Caller caller, string server, string tool) => true;

    public void Record(UsageRecord usage)
    {
    }

    private static AccessDenial Challenge(HttpContext context, string server, string? error, string message)
    {
        var metadata = $"{context.Request.Scheme}://{context.Request.Host}/.well-known/oauth-protected-resource/mcp/{Uri.EscapeDataString(server)}";
        var challenge = error is null
            ? $"Bearer resource_metadata=\"{metadata}\""
            : $"Bearer error=\"{error}\", error_description=\"{message}\", resource_metadata=\"{metadata}\"";
        return new AccessDenial(StatusCodes.Status401Unauthorized, JsonRpcErrorCodes.Unauthorized, error ?? "missing_credentials", message, WwwAuthenticate: challenge);
    }

    private static bool FixedTimeEquals(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
