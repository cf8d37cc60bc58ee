using McpPlatform.Access.Api.Auth;
using McpPlatform.Access.Api.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace McpPlatform.Access.Api.Apis;

/// <summary>GET /me: the caller, their plan and the key they called with.</summary>
internal static class MeApi
{
    public static IEndpointRouteBuilder MapMeApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/me", GetMeAsync).RequireAuthorization();
        return endpoints;
    }

    public static async Task<Results<Ok<Me>, ProblemHttpResult>> GetMeAsync(HttpContext context, UserStore users, PlanStore plans, CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(context.User.CallerId(), cancellationToken);
        if (user is null)
        {
            return Problems.NotFound("Your user no longer exists.");
        }

        var plan = await plans.GetAsync(user.PlanId, cancellationToken);
        return TypedResults.Ok(new Me(user, plan, context.User.FindFirst(AccessClaims.KeyId)?.Value));
    }

    public sealed record Me(UserRow User, PlanRow? Plan, string? KeyId);
}
