using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Routing;

/// <summary>
/// Checks the whole route table and reports every problem at once, so one start (or one reload)
/// is enough to see everything that is wrong.
/// </summary>
internal sealed class RoutingOptionsValidator : IValidateOptions<RoutingOptions>
{
    // The service's own endpoints: a route here would hide them.
    private static readonly string[] Reserved = ["/health/live", "/health/ready", "/metrics"];

    public ValidateOptionsResult Validate(string? name, RoutingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = Problems(options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    public static List<string> Problems(RoutingOptions options)
    {
        var problems = new List<string>();
        var byPath = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, route) in options.Routes.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var key = $"{RoutingOptions.SectionName}:Routes:{id}";
            if (route is null)
            {
                problems.Add($"{key}: the route is empty; give it a Path and a Service.");
                continue;
            }
            if (string.IsNullOrWhiteSpace(route.Path))
            {
                problems.Add($"{key}:Path is required (a route template such as \"/account/{{**rest}}\").");
            }
            else if (!route.Path.StartsWith('/'))
            {
                problems.Add($"{key}:Path '{route.Path}' must start with '/'.");
            }
            else if (TryParse(route.Path, out var error) is not { } pattern)
            {
                problems.Add($"{key}:Path '{route.Path}' is not a valid route template: {error}");
            }
            else
            {
                var normalized = Normalize(pattern);
                if (byPath.TryGetValue(normalized, out var other))
                {
                    problems.Add($"{key}:Path '{route.Path}' is also the path of route '{other}'; each path may have one route.");
                }
                else
                {
                    byPath[normalized] = id;
                }
                if (Reserved.FirstOrDefault(r => RouteMatcher.Matches(pattern, r)) is { } shadowed)
                {
                    problems.Add($"{key}:Path '{route.Path}' would hide the service's own {shadowed}.");
                }
            }
            if (string.IsNullOrWhiteSpace(route.Service))
            {
                problems.Add($"{key}:Service is required (the name in services__<name>__http__0, e.g. \"identity\").");
            }
            else if (!route.Service.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                problems.Add($"{key}:Service '{route.Service}' may contain only letters, digits, '-', '_' and '.'.");
            }
            if (string.IsNullOrWhiteSpace(route.Endpoint))
            {
                problems.Add($"{key}:Endpoint must name one of the service's endpoints (default \"http\").");
            }
            if (route.ActivityTimeout is { } timeout && timeout <= TimeSpan.Zero)
            {
                problems.Add($"{key}:ActivityTimeout must be positive (got {timeout}).");
            }
        }
        return problems;
    }

    private static RoutePattern? TryParse(string path, out string? error)
    {
        try
        {
            error = null;
            return RoutePatternFactory.Parse(path);
        }
        catch (RoutePatternException ex)
        {
            error = ex.Message;
            return null;
        }
    }

    private static string Normalize(RoutePattern pattern) =>
        string.Join('/', pattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart { IsCatchAll: true } => "{**}",
            RoutePatternParameterPart => "{}",
            _ => "?",
        }))));
}
