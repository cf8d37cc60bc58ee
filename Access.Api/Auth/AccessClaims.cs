using System.Security.Claims;

namespace McpPlatform.Access.Api.Auth;

/// <summary>The claims the bearer handler issues, and how endpoints read the caller from them.</summary>
internal static class AccessClaims
{
    public const string UserId = "sub";
    public const string KeyId = "key_id";
    public const string PlanId = "plan_id";
    public const string AdminPolicy = "admin";

    public static Guid CallerId(this ClaimsPrincipal user) => Guid.Parse(user.FindFirstValue(UserId)!);

    /// <summary>The audit actor: "user:{id}".</summary>
    public static string Actor(this ClaimsPrincipal user) => "user:" + user.FindFirstValue(UserId);

    public static string Ip(this HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "";
}
