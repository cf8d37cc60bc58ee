using McpPlatform.Access.Api.Auth;
using McpPlatform.Access.Api.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace McpPlatform.Access.Api.Apis;

/// <summary>/admin/plans: list, get, create, replace, delete (409 while users are on the plan).</summary>
internal static class AdminPlansApi
{
    public static IEndpointRouteBuilder MapAdminPlansApi(this IEndpointRouteBuilder endpoints)
    {
        var plans = endpoints.MapGroup("/admin/plans").RequireAuthorization(AccessClaims.AdminPolicy);
        plans.MapGet("/", async (PlanStore store, CancellationToken cancellationToken) => TypedResults.Ok(await store.ListAsync(cancellationToken)));
        plans.MapGet("/{id}", GetAsync);
        plans.MapPost("/", CreateAsync);
        plans.MapPut("/{id}", ReplaceAsync);
        plans.MapDelete("/{id}", DeleteAsync);
        return endpoints;
    }

    public static async Task<Results<Ok<PlanRow>, ProblemHttpResult>> GetAsync(string id, PlanStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } plan ? TypedResults.Ok(plan) : Problems.NotFound("No such plan.");

    public static async Task<Results<Created<PlanRow>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpContext context, PlanRow plan, PlanStore store, CancellationToken cancellationToken)
    {
        if (Validate(plan) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var result = await store.CreateAsync(plan, context.User.Actor(), context.Ip(), cancellationToken);
        return result.Outcome == StoreOutcome.Done
            ? TypedResults.Created($"/admin/plans/{plan.Id}", result.Value!)
            : Problems.Conflict("A plan with this id exists; PUT /admin/plans/{id} changes it.");
    }

    public static async Task<Results<Ok<PlanRow>, ValidationProblem, ProblemHttpResult>> ReplaceAsync(
        HttpContext context, string id, PlanRow plan, PlanStore store, CancellationToken cancellationToken)
    {
        plan = plan with { Id = id };
        if (Validate(plan) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var result = await store.ReplaceAsync(plan, context.User.Actor(), context.Ip(), cancellationToken);
        return result.Outcome == StoreOutcome.Done ? TypedResults.Ok(result.Value!) : Problems.NotFound("No such plan; POST /admin/plans creates one.");
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(HttpContext context, string id, PlanStore store, CancellationToken cancellationToken) =>
        await store.DeleteAsync(id, context.User.Actor(), context.Ip(), cancellationToken) switch
        {
            StoreOutcome.Done => TypedResults.NoContent(),
            StoreOutcome.InUse => Problems.Conflict("Users are on this plan; move them to another plan first."),
            _ => Problems.NotFound("No such plan."),
        };

    private static Dictionary<string, string[]> Validate(PlanRow plan)
    {
        var errors = new Dictionary<string, string[]>();
        InputRules.Identifier(errors, "id", plan.Id);
        InputRules.Text(errors, "name", plan.Name, 100);
        if (!(plan.RequestsPerSecond > 0) || double.IsInfinity(plan.RequestsPerSecond) || plan.Burst <= 0)
        {
            errors["requestsPerSecond"] = ["requestsPerSecond and burst must be positive."];
        }

        if (plan.MaxConcurrentJobs < 0 || plan.MonthlyQuota < 0 || plan.MaxOpenSessions < 0)
        {
            errors["limits"] = ["Limits must not be negative (0 means unlimited)."];
        }

        if (plan.KeyExpiryDays is < 1)
        {
            errors["keyExpiryDays"] = ["keyExpiryDays must be at least 1, or null for keys that never expire."];
        }

        if (plan.AllowedServers is null || plan.AllowedServers.Length > 200)
        {
            errors["allowedServers"] = ["allowedServers is a list of at most 200 server names or globs (empty: all)."];
        }
        else
        {
            foreach (var server in plan.AllowedServers)
            {
                InputRules.Text(errors, "allowedServers", server, 200);
            }
        }

        return errors;
    }
}
