using System.Globalization;
using System.Text;
using McpPlatform.Hosting.ApplicationModel;

namespace McpPlatform.Hosting.Publishing;

/// <summary>
/// How the model maps onto containers, shared by the compose and ECS publishers: container ports,
/// service host names, connection strings and the settings that must come from outside.
/// </summary>
internal static class DeploymentConventions
{
    public const int FirstContainerPort = 8080;

    /// <summary>The container port of a project's endpoint: 8080 for the first, 8081 for the second, …</summary>
    public static int ContainerPort(ProjectResource project, string endpoint) =>
        FirstContainerPort + project.Endpoints.FindIndex(e => e.Name == endpoint);

    /// <summary>The environment a project's container gets, in a stable order; values may hold <c>${VARIABLE}</c> placeholders.</summary>
    public static IReadOnlyList<(string Name, string Value, bool Secret)> Environment(ProjectResource project)
    {
        var env = new List<(string, string, bool)>
        {
            ("ASPNETCORE_ENVIRONMENT", "Production", false),
            ("OTEL_SERVICE_NAME", project.Name, false),
        };
        foreach (var endpoint in project.Endpoints)
        {
            env.Add(($"Kestrel__Endpoints__{endpoint.Name}__Url", $"http://+:{ContainerPort(project, endpoint.Name).ToString(CultureInfo.InvariantCulture)}", false));
            env.Add(($"Kestrel__Endpoints__{endpoint.Name}__Protocols", endpoint.Protocol == EndpointProtocol.Http2 ? "Http2" : "Http1", false));
        }
        foreach (var reference in project.References)
        {
            switch (reference)
            {
                case ProjectResource target:
                    foreach (var endpoint in target.Endpoints)
                    {
                        env.Add(($"services__{target.Name}__{endpoint.Name}__0",
                            $"http://{target.Name}:{ContainerPort(target, endpoint.Name).ToString(CultureInfo.InvariantCulture)}", false));
                    }
                    break;
                case IResourceWithConnectionString:
                    env.Add(($"ConnectionStrings__{reference.Name}", ConnectionString(reference), true));
                    break;
            }
        }
        // Values set for local runs (development credentials) are the deployment's to provide.
        foreach (var name in project.Environment.Keys.Order(StringComparer.Ordinal))
        {
            env.Add((name, $"${{{VariableName(name)}}}", true));
        }
        // Deployment-only settings: secrets are required (compose refuses to start without them; no default is ever
        // committed), plain ones default to the model's value.
        foreach (var (name, setting) in project.DeploymentSettings.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            env.Add(setting.Secret
                ? (name, $"${{{VariableName(name)}:?set {VariableName(name)}}}", true)
                : (name, $"${{{VariableName(name)}:-{setting.Default}}}", false));
        }
        return env;
    }

    /// <summary>An environment variable name for a setting: <c>Bootstrap__ApiKey</c> → <c>BOOTSTRAP_APIKEY</c>.</summary>
    public static string VariableName(string setting)
    {
        var name = new StringBuilder();
        foreach (var c in setting.Replace("__", "_", StringComparison.Ordinal))
        {
            name.Append(char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_');
        }
        return name.ToString();
    }

    /// <summary>A shell probe of <c>/health/ready</c> that needs only bash (the ASP.NET images have no curl).</summary>
    public static string HealthProbe(ProjectResource project) =>
        $"exec 3<>/dev/tcp/127.0.0.1/{ContainerPort(project, "http").ToString(CultureInfo.InvariantCulture)} && " +
        $"printf 'GET {project.ReadinessPath} HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '";

    private static string ConnectionString(IResource resource) => resource switch
    {
        PostgresDatabaseResource database =>
            $"Host={database.Server.Name};Port=5432;Username=postgres;Password=${{POSTGRES_PASSWORD}};Database={database.DatabaseName}",
        RedisResource redis => $"{redis.Name}:6379,password=${{REDIS_PASSWORD}}",
        _ => $"${{{VariableName("ConnectionStrings__" + resource.Name)}}}",
    };
}
