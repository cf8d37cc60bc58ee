using System.Globalization;
using System.Text;
using System.Text.Json;
using McpPlatform.Hosting.ApplicationModel;

namespace McpPlatform.Hosting.Publishing;

/// <summary>
/// Writes <c>compose.yaml</c> for the whole topology from the same model AppHost runs: PostgreSQL
/// and Redis containers with health checks, each project built from its Dockerfile, wired with the
/// same settings, started in <c>WaitFor</c> order once what it waits for is healthy.
/// </summary>
internal static class ComposePublisher
{
    public static string Render(IReadOnlyList<IResource> resources)
    {
        var yaml = new StringBuilder();
        yaml.Append("# Generated from AppHost/PlatformTopology.cs by `dotnet run --project AppHost -- publish`. Do not edit.\n");
        yaml.Append("# Needs POSTGRES_PASSWORD and REDIS_PASSWORD, plus the variables named below (e.g. in an .env file).\n# docker compose -p mcpplatform -f docker/compose.yaml up --build\n");
        yaml.Append("services:\n");
        var volumes = new List<string>();
        foreach (var resource in resources)
        {
            switch (resource)
            {
                case PostgresServerResource postgres:
                    Postgres(yaml, postgres);
                    volumes.Add($"{postgres.Name}-data");
                    break;
                case RedisResource redis:
                    Redis(yaml, redis);
                    volumes.Add($"{redis.Name}-data");
                    break;
                case ProjectResource project:
                    Project(yaml, project);
                    break;
            }
        }
        yaml.Append("volumes:\n");
        foreach (var volume in volumes)
        {
            yaml.Append("  ").Append(volume).Append(": {}\n");
        }
        return yaml.ToString();
    }

    /// <summary>The script the PostgreSQL image runs on its first start: one database per AddDatabase.</summary>
    public static string PostgresInitScript(PostgresServerResource postgres) =>
        "-- Generated from AppHost/PlatformTopology.cs. Do not edit.\n" +
        string.Concat(postgres.Databases.Select(d => $"CREATE DATABASE \"{d.DatabaseName}\";\n"));

    private static void Postgres(StringBuilder yaml, PostgresServerResource postgres)
    {
        yaml.Append($"  {postgres.Name}:\n");
        yaml.Append($"    image: {Q(postgres.Image)}\n");
        yaml.Append("    environment:\n");
        yaml.Append($"      POSTGRES_PASSWORD: {Q("${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}")}\n");
        yaml.Append("    volumes:\n");
        yaml.Append($"      - {Q($"{postgres.Name}-data:/var/lib/postgresql/data")}\n");
        yaml.Append($"      - {Q($"./{postgres.Name}/init:/docker-entrypoint-initdb.d:ro")}\n");
        HealthCheck(yaml, "pg_isready -U postgres -h 127.0.0.1");
    }

    private static void Redis(StringBuilder yaml, RedisResource redis)
    {
        yaml.Append($"  {redis.Name}:\n");
        yaml.Append($"    image: {Q(redis.Image)}\n");
        yaml.Append("    environment:\n");
        yaml.Append($"      REDIS_PASSWORD: {Q("${REDIS_PASSWORD:?set REDIS_PASSWORD}")}\n");
        yaml.Append($"    command: [{Q("sh")}, {Q("-c")}, {Q("exec redis-server --requirepass \"$$REDIS_PASSWORD\" --appendonly yes")}]\n");
        yaml.Append("    volumes:\n");
        yaml.Append($"      - {Q($"{redis.Name}-data:/data")}\n");
        HealthCheck(yaml, "redis-cli --no-auth-warning -a \"$$REDIS_PASSWORD\" ping | grep -q PONG");
    }

    private static void Project(StringBuilder yaml, ProjectResource project)
    {
        yaml.Append($"  {project.Name}:\n");
        yaml.Append($"    image: {Q($"mcpplatform/{project.Name}:${{TAG:-dev}}")}\n");
        yaml.Append("    build:\n");
        yaml.Append($"      context: {Q("..")}\n");
        yaml.Append($"      dockerfile: {Q(project.Dockerfile)}\n");
        yaml.Append("      args:\n");
        yaml.Append($"        PROJECT: {Q(Path.GetFileNameWithoutExtension(project.ProjectPath))}\n");
        yaml.Append("    environment:\n");
        foreach (var (name, value, _) in DeploymentConventions.Environment(project))
        {
            yaml.Append($"      {name}: {Q(value)}\n");
        }
        if (project.WaitsFor.Count > 0)
        {
            yaml.Append("    depends_on:\n");
            foreach (var dependency in project.WaitsFor.Select(ComposeService).Distinct())
            {
                yaml.Append($"      {dependency}:\n        condition: service_healthy\n");
            }
        }
        if (project.IsExternal)
        {
            var first = DeploymentConventions.FirstContainerPort;
            var hostPorts = project.Replicas > 1 ? $"{first}-{first + project.Replicas - 1}" : first.ToString(CultureInfo.InvariantCulture);
            yaml.Append("    ports:\n");
            yaml.Append($"      - {Q($"127.0.0.1:{hostPorts}:{DeploymentConventions.ContainerPort(project, "http")}")}\n");
        }
        if (project.Replicas > 1)
        {
            yaml.Append($"    deploy:\n      replicas: {project.Replicas.ToString(CultureInfo.InvariantCulture)}\n");
        }
        yaml.Append("    stop_grace_period: 60s\n");
        HealthCheck(yaml, DeploymentConventions.HealthProbe(project).Replace("$", "$$", StringComparison.Ordinal), shell: "bash");
    }

    private static void HealthCheck(StringBuilder yaml, string command, string? shell = null)
    {
        yaml.Append("    healthcheck:\n");
        yaml.Append(shell is null
            ? $"      test: [{Q("CMD-SHELL")}, {Q(command)}]\n"
            : $"      test: [{Q("CMD")}, {Q(shell)}, {Q("-c")}, {Q(command)}]\n");
        yaml.Append("      interval: 5s\n      timeout: 3s\n      retries: 30\n      start_period: 10s\n");
    }

    // Databases are created inside their server's container: waiting for one waits for the server.
    private static string ComposeService(IResource resource) =>
        resource is PostgresDatabaseResource database ? database.Server.Name : resource.Name;

    // A JSON string is a valid YAML double-quoted scalar.
    private static string Q(string value) => JsonSerializer.Serialize(value, QuoteOptions);

    private static readonly JsonSerializerOptions QuoteOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
