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
        var compose = ExecutableSearch.Find("docker-compose");
        Assert.True(compose is not null, "docker-compose is not installed (eng/test installs it with apt-get).");
        var info = new ProcessStartInfo(compose!, ["-p", "mcpplatform", "-f", Path.Combine(DockerFolder, "compose.yaml"), "config", "-q"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var variable in new[] { "POSTGRES_PASSWORD", "REDIS_PASSWORD", "BOOTSTRAP_ADMINEMAIL", "BOOTSTRAP_ADMINPASSWORD", "BOOTSTRAP_APIKEY", "GATEWAY_DEVELOPMENTAPIKEY" })
        {
            info.Environment[variable] = "test-value";
        }
        using var process = Process.Start(info)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, $"docker-compose config rejected docker/compose.yaml:\n{errors}");
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
