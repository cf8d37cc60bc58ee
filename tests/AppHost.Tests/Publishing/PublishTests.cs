using System.Diagnostics;
using System.Text.Json;
using McpPlatform.AppHost.Tests.Infrastructure;
using McpPlatform.Hosting;
using McpPlatform.Processes;
using McpPlatform.Hosting.Publishing;
using McpPlatform.Hosting.Testing;

namespace McpPlatform.AppHost.Tests.Publishing;

/// <summary>The deployment artifacts in docker/ are what the model emits, and the tools that read them accept them.</summary>
public sealed class PublishTests : IDisposable
{
    private readonly string _state = DistributedApplicationTestingBuilder.NewStateDirectory();
    private readonly IReadOnlyDictionary<string, string> _artifacts;

    public PublishTests()
    {
        var builder = DistributedApplicationTestingBuilder.Create(typeof(PublishTests).Assembly, stateDirectory: _state);
        builder.AddMcpPlatform();
        _artifacts = Publisher.Render(builder.Resources);
    }

    private static string DockerFolder => Path.Combine(AppHostProcess.RepositoryRoot, "docker");

    [Fact]
    public void CommittedArtifacts_MatchTheModel()
    {
        foreach (var (path, content) in _artifacts)
        {
            var committed = Path.Combine(DockerFolder, path);
            Assert.True(File.Exists(committed), $"docker/{path} is missing: run `dotnet run --project AppHost -- publish`.");
            Assert.True(File.ReadAllText(committed) == content, $"docker/{path} differs from the model: run `dotnet run --project AppHost -- publish`.");
        }
        var stale = Directory.GetFiles(Path.Combine(DockerFolder, "ecs"))
            .Select(f => "ecs/" + Path.GetFileName(f))
            .Where(f => !_artifacts.ContainsKey(f));
        Assert.Empty(stale);
    }

    [Fact]
    public void EcsDefinitions_KeepSecretsOutOfPlainEnvironment_AndWireServicesByName()
    {
        var gateway = JsonDocument.Parse(_artifacts["ecs/gateway-edge.task-definition.json"]).RootElement;
        var container = gateway.GetProperty("containerDefinitions")[0];
        var environment = container.GetProperty("environment").EnumerateArray()
            .ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("value").GetString()!);
        var secrets = container.GetProperty("secrets").EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToArray();

        Assert.Equal("http://dispatcher:8081", environment["services__dispatcher__grpc__0"]);
        Assert.Contains("ConnectionStrings__redis", secrets);
        Assert.Contains("Gateway__DevelopmentApiKey", secrets);
        Assert.DoesNotContain(environment.Values, v => v.Contains("password", StringComparison.OrdinalIgnoreCase) || v.StartsWith("sk_", StringComparison.Ordinal));
        Assert.DoesNotContain(_artifacts.Values, text => text.Contains("sk_test_", StringComparison.Ordinal));

        var service = JsonDocument.Parse(_artifacts["ecs/gateway-edge.service.json"]).RootElement;
        Assert.True(service.GetProperty("desiredCount").GetInt32() >= 2);
        Assert.Equal(8080, service.GetProperty("loadBalancers")[0].GetProperty("containerPort").GetInt32());
    }

    [Fact]
    public async Task Compose_IsAcceptedByDockerCompose()
    {
        var (exitCode, errors) = await ComposeConfigAsync(Variables);

        Assert.True(exitCode == 0, $"docker-compose config rejected docker/compose.yaml:\n{errors}");
    }

    [Fact]
    public async Task KeyPepper_IsADeploymentSecret_WithNoDefaultAnywhere()
    {
        var access = JsonDocument.Parse(_artifacts["ecs/access-api.task-definition.json"]).RootElement.GetProperty("containerDefinitions")[0];
        var secrets = access.GetProperty("secrets").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("valueFrom").GetString()!);
        var environment = access.GetProperty("environment").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("value").GetString()!);
        var (exitCode, errors) = await ComposeConfigAsync(Variables.Where(v => v != "ACCESS_KEYPEPPER"));

        Assert.StartsWith("${SECRETS_ARN_PREFIX}", secrets["Access__KeyPepper"], StringComparison.Ordinal);
        Assert.DoesNotContain("Access__KeyPepper", environment.Keys);
        Assert.Equal("${ACCESS_ENVIRONMENT:-live}", environment["Access__Environment"]);
        Assert.Contains("Access__KeyPepper: \"${ACCESS_KEYPEPPER:?set ACCESS_KEYPEPPER}\"", _artifacts["compose.yaml"], StringComparison.Ordinal);
        Assert.True(exitCode != 0 && errors.Contains("ACCESS_KEYPEPPER", StringComparison.Ordinal), $"compose must refuse to run without the pepper:\n{errors}");
    }

    [Fact]
    public void WorkerImage_CarriesTheLockedNpmServers_WhereTheCatalogLooks()
    {
        // The model builds the worker's image with its own Dockerfile (compose names it); that file installs the lock.
        Assert.Contains("dockerfile: \"docker/worker-host.Dockerfile\"", _artifacts["compose.yaml"], StringComparison.Ordinal);
        var dockerfile = File.ReadAllText(Path.Combine(AppHostProcess.RepositoryRoot, "docker", "worker-host.Dockerfile"));

        Assert.Contains("COPY Worker.Host/NpmServers/package.json Worker.Host/NpmServers/package-lock.json", dockerfile, StringComparison.Ordinal);
        Assert.Contains("npm ci", dockerfile, StringComparison.Ordinal);
        Assert.Contains("Worker__NpmCache=/opt/mcp-servers", dockerfile, StringComparison.Ordinal);
        Assert.Contains("COPY --from=npm /opt/mcp-servers /opt/mcp-servers", dockerfile, StringComparison.Ordinal);
    }

    private static readonly string[] Variables =
        ["POSTGRES_PASSWORD", "REDIS_PASSWORD", "BOOTSTRAP_ADMINEMAIL", "BOOTSTRAP_ADMINPASSWORD", "BOOTSTRAP_APIKEY", "GATEWAY_DEVELOPMENTAPIKEY", "ACCESS_KEYPEPPER"];

    private static async Task<(int ExitCode, string Errors)> ComposeConfigAsync(IEnumerable<string> variables)
    {
        var compose = ExecutableSearch.Find("docker-compose");
        Assert.True(compose is not null, "docker-compose is not installed (eng/test installs it with apt-get).");
        var info = new ProcessStartInfo(compose!, ["-p", "mcpplatform", "-f", Path.Combine(DockerFolder, "compose.yaml"), "config", "-q"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var name in Variables)
        {
            info.Environment.Remove(name);
        }

        foreach (var variable in variables)
        {
            info.Environment[variable] = "test-value";
        }
        using var process = Process.Start(info)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, errors);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_state, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
