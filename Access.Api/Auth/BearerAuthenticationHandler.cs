using System.Security.Claims;
using System.Text.Encodings.Web;
using McpPlatform.Access.Api.Data;
using McpPlatform.Access.Api.Keys;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace McpPlatform.Access.Api.Auth;

/// <summary>
/// The one authentication handler of the REST API: <c>Authorization: Bearer &lt;token&gt;</c>. API keys are validated
/// exactly as the gateways' ValidateKey does; Identity's JWTs will be a second branch here, so endpoints never change.
/// Failures are ProblemDetails: 401 with <c>WWW-Authenticate: Bearer</c>, 403 for a signed-in caller without the role.
/// </summary>
internal sealed class BearerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    KeyValidator validator,
    DatabaseState database,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("Use Authorization: Bearer <api key>.");
        }

        var token = header["Bearer ".Length..].Trim();
        if (!database.IsReady)
        {
            return AuthenticateResult.Fail("Access.Api is starting; retry shortly.");
        }

        var result = await validator.ValidateAsync(token, "", Context.Connection.RemoteIpAddress?.ToString() ?? "", Context.RequestAborted).ConfigureAwait(false);
        if (result.Rejected is { } rejected)
        {
            return AuthenticateResult.Fail(rejected.Message);
        }

        var principal = result.Principal;
        var claims = new List<Claim>
        {
            new(AccessClaims.UserId, principal.UserId),
            new(AccessClaims.KeyId, principal.KeyId),
            new(AccessClaims.PlanId, principal.Plan.PlanId),
        };
        claims.AddRange(principal.Roles.Select(role => new Claim(ClaimTypes.Role, role)));
        var identity = new ClaimsIdentity(claims, SchemeName, AccessClaims.UserId, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // The result of this request's authentication (computed once per request and cached by the base class).
        var failure = (await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false)).Failure?.Message;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Authentication required",
                Detail = failure ?? "Send Authorization: Bearer <api key>.",
            },
        }).ConfigureAwait(false);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Forbidden",
                Detail = "This endpoint needs the admin role.",
            },
        }).ConfigureAwait(false);
    }
}
