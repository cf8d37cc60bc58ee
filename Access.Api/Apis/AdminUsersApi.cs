using McpPlatform.Access.Api.Auth;
using McpPlatform.Access.Api.Data;
using McpPlatform.Access.Api.Keys;
using Microsoft.AspNetCore.Http.HttpResults;

namespace McpPlatform.Access.Api.Apis;

/// <summary>/admin/users: list, create, get, update (disable, plan, roles, name), and anyone's keys (list, create with plan overrides, revoke).</summary>
internal static class AdminUsersApi
{
    public static IEndpointRouteBuilder MapAdminUsersApi(this IEndpointRouteBuilder endpoints)
    {
        var users = endpoints.MapGroup("/admin/users").RequireAuthorization(AccessClaims.AdminPolicy);
        users.MapGet("/", ListAsync);
        users.MapPost("/", CreateAsync);
        users.MapGet("/{id:guid}", GetAsync);
        users.MapPatch("/{id:guid}", UpdateAsync);
        users.MapGet("/{id:guid}/keys", ListKeysAsync);
        users.MapPost("/{id:guid}/keys", CreateKeyAsync);
        users.MapDelete("/{id:guid}/keys/{keyId:guid}", RevokeKeyAsync);
        return endpoints;
    }

    public static async Task<Results<Ok<Page<UserRow>>, ProblemHttpResult>> ListAsync(UserStore users, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        if (!Cursor.TryDecode(cursor, out var after))
        {
            return Problems.BadRequest("The cursor is not one this API returned; start again without it.");
        }

        var take = Cursor.Limit(limit);
        var rows = await users.ListAsync(after, take, cancellationToken);
        return TypedResults.Ok(new Page<UserRow>(rows, rows.Count == take ? Cursor.Encode(rows[^1].CreatedAt, rows[^1].Id) : null));
    }

    public static async Task<Results<Created<UserRow>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpContext context, CreateUserRequest request, UserStore users, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        InputRules.Email(errors, request.Email);
        InputRules.Text(errors, "displayName", request.DisplayName, 200, required: false);
        InputRules.Identifier(errors, "planId", request.PlanId ?? "free");
        Roles(errors, request.Roles);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var result = await users.CreateAsync(request.Email!, request.DisplayName ?? "", request.Roles ?? [], request.PlanId ?? "free", context.User.Actor(), context.Ip(), cancellationToken);
        return result.Outcome switch
        {
            StoreOutcome.Done => TypedResults.Created($"/admin/users/{result.Value!.Id}", result.Value),
            StoreOutcome.UnknownPlan => Problems.BadRequest("No such plan; see GET /admin/plans."),
            _ => Problems.Conflict("A user with this email exists."),
        };
    }

    public static async Task<Results<Ok<UserRow>, ProblemHttpResult>> GetAsync(Guid id, UserStore users, CancellationToken cancellationToken) =>
        await users.GetAsync(id, cancellationToken) is { } user ? TypedResults.Ok(user) : Problems.NotFound("No such user.");

    public static async Task<Results<Ok<UserRow>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        HttpContext context, Guid id, UserPatch patch, UserStore users, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        InputRules.Text(errors, "displayName", patch.DisplayName, 200, required: false);
        if (patch.PlanId is not null)
        {
            InputRules.Identifier(errors, "planId", patch.PlanId);
        }

        Roles(errors, patch.Roles);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var result = await users.UpdateAsync(id, patch, context.User.Actor(), context.Ip(), cancellationToken);
        return result.Outcome switch
        {
            StoreOutcome.Done => TypedResults.Ok(result.Value!),
            StoreOutcome.UnknownPlan => Problems.BadRequest("No such plan; see GET /admin/plans."),
            _ => Problems.NotFound("No such user."),
        };
    }

    public static async Task<Results<Ok<Page<KeyView>>, ProblemHttpResult>> ListKeysAsync(
        Guid id, UserStore users, KeyStore keys, TimeProvider time, string? cursor, int? limit, CancellationToken cancellationToken) =>
        await users.GetAsync(id, cancellationToken) is null
            ? Problems.NotFound("No such user.")
            : await KeysApi.ListForAsync(id, keys, time, cursor, limit, cancellationToken);

    public static async Task<Results<Created<CreatedKeyView>, ValidationProblem, ProblemHttpResult>> CreateKeyAsync(
        HttpContext context, Guid id, AdminCreateKeyRequest request, UserStore users, KeyStore keys, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = KeysApi.Validate(new KeysApi.CreateKeyRequest(request.Name, request.Scopes, request.ExpiresInDays));
        foreach (var problem in request.PlanOverrides?.Problems() ?? [])
        {
            errors["planOverrides"] = [problem];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (await users.GetAsync(id, cancellationToken) is null)
        {
            return Problems.NotFound("No such user.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var newKey = new KeysApi.CreateKeyRequest(request.Name, request.Scopes, request.ExpiresInDays).ToNewKey(now, request.PlanOverrides);
        var created = await keys.CreateAsync(id, newKey, context.User.Actor(), context.Ip(), cancellationToken);
        return TypedResults.Created($"/admin/users/{id}/keys/{created.Key.Id}", new CreatedKeyView(created.Secret, KeyView.From(created.Key, now)));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeKeyAsync(
        HttpContext context, Guid id, Guid keyId, KeyStore keys, CancellationToken cancellationToken) =>
        await keys.RevokeAsync(keyId, id, context.User.Actor(), context.Ip(), cancellationToken) is null
            ? Problems.NotFound("This user has no key with this id.")
            : TypedResults.NoContent();

    private static void Roles(Dictionary<string, string[]> errors, string[]? roles)
    {
        foreach (var role in roles ?? [])
        {
            InputRules.Identifier(errors, "roles", role);
        }
    }

    /// <summary>POST /admin/users: <c>{"email":"a@b.c","displayName":"A","roles":["admin"],"planId":"pro"}</c>.</summary>
    public sealed record CreateUserRequest(string? Email, string? DisplayName, string[]? Roles, string? PlanId);

    /// <summary>POST /admin/users/{id}/keys: as POST /keys, plus per-key plan overrides.</summary>
    public sealed record AdminCreateKeyRequest(string? Name, KeyScope[]? Scopes, int? ExpiresInDays, PlanOverrides? PlanOverrides);
}
