using McpPlatform.Access.Api.Auth;
using McpPlatform.Access.Api.Keys;
using Microsoft.AspNetCore.Http.HttpResults;

namespace McpPlatform.Access.Api.Apis;

/// <summary>The caller's own keys: list (cursor pages), create, revoke, rotate. A secret is shown once, in the create/rotate answer.</summary>
internal static class KeysApi
{
    public static IEndpointRouteBuilder MapKeysApi(this IEndpointRouteBuilder endpoints)
    {
        var keys = endpoints.MapGroup("/keys").RequireAuthorization();
        keys.MapGet("/", ListAsync);
        keys.MapPost("/", CreateAsync);
        keys.MapDelete("/{id:guid}", RevokeAsync);
        keys.MapPost("/{id:guid}/rotate", RotateAsync);
        return endpoints;
    }

    public static async Task<Results<Ok<Page<KeyView>>, ProblemHttpResult>> ListAsync(
        HttpContext context, KeyStore store, TimeProvider time, string? cursor, int? limit, CancellationToken cancellationToken) =>
        await ListForAsync(context.User.CallerId(), store, time, cursor, limit, cancellationToken);

    public static async Task<Results<Ok<Page<KeyView>>, ProblemHttpResult>> ListForAsync(
        Guid userId, KeyStore store, TimeProvider time, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        if (!Cursor.TryDecode(cursor, out var after))
        {
            return Problems.BadRequest("The cursor is not one this API returned; start again without it.");
        }

        var take = Cursor.Limit(limit);
        var rows = await store.ListAsync(userId, after, take, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var next = rows.Count == take ? Cursor.Encode(rows[^1].CreatedAt, rows[^1].Id) : null;
        return TypedResults.Ok(new Page<KeyView>(rows.Select(row => KeyView.From(row, now)).ToArray(), next));
    }

    public static async Task<Results<Created<CreatedKeyView>, ValidationProblem>> CreateAsync(
        HttpContext context, CreateKeyRequest request, KeyStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = Validate(request);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var created = await store.CreateAsync(context.User.CallerId(), request.ToNewKey(now, overrides: null), context.User.Actor(), context.Ip(), cancellationToken);
        return TypedResults.Created($"/keys/{created.Key.Id}", new CreatedKeyView(created.Secret, KeyView.From(created.Key, now)));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        HttpContext context, Guid id, KeyStore store, CancellationToken cancellationToken) =>
        await store.RevokeAsync(id, context.User.CallerId(), context.User.Actor(), context.Ip(), cancellationToken) is null
            ? Problems.NotFound("You have no key with this id.")
            : TypedResults.NoContent();

    public static async Task<Results<Created<CreatedKeyView>, ProblemHttpResult>> RotateAsync(
        HttpContext context, Guid id, RotateKeyRequest? request, KeyStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        if (request?.GracePeriodSeconds is < 0 or > 30 * 86400)
        {
            return Problems.BadRequest("gracePeriodSeconds must be between 0 and 2592000 (30 days).");
        }

        var grace = request?.GracePeriodSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        var created = await store.RotateAsync(id, context.User.CallerId(), grace, context.User.Actor(), context.Ip(), cancellationToken);
        return created is null
            ? Problems.NotFound("You have no active key with this id (revoked and already rotated keys cannot be rotated).")
            : TypedResults.Created($"/keys/{created.Key.Id}", new CreatedKeyView(created.Secret, KeyView.From(created.Key, time.GetUtcNow().UtcDateTime)));
    }

    public static Dictionary<string, string[]> Validate(CreateKeyRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        InputRules.Text(errors, "name", request.Name, 100);
        InputRules.Scopes(errors, request.Scopes);
        if (request.ExpiresInDays is < 1 or > 3650)
        {
            errors["expiresInDays"] = ["expiresInDays must be between 1 and 3650."];
        }

        return errors;
    }

    /// <summary>POST /keys: <c>{"name":"laptop","scopes":[{"server":"echo","tool":"*"}],"expiresInDays":30}</c>.</summary>
    public sealed record CreateKeyRequest(string? Name, KeyScope[]? Scopes, int? ExpiresInDays)
    {
        public NewKey ToNewKey(DateTime now, PlanOverrides? overrides) =>
            new(Name!, Scopes ?? [], overrides, ExpiresInDays is { } days ? now.AddDays(days) : null);
    }

    /// <summary>POST /keys/{id}/rotate: <c>{"gracePeriodSeconds":3600}</c> (optional; default Access:RotationGracePeriod).</summary>
    public sealed record RotateKeyRequest(int? GracePeriodSeconds);
}
