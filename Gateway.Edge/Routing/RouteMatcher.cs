using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;

namespace McpPlatform.Gateway.Edge.Routing;

/// <summary>Whether a route pattern matches a path, outside endpoint routing (for validation).</summary>
internal static class RouteMatcher
{
    public static bool Matches(RoutePattern pattern, string path) =>
        new TemplateMatcher(new RouteTemplate(pattern), new RouteValueDictionary()).TryMatch(path, new RouteValueDictionary());
}
