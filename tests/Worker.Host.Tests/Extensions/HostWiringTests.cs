using McpPlatform.Worker.Host.Catalog;
using McpPlatform.Worker.Host.Extensions;
using McpPlatform.Worker.Host.Pool;
using McpPlatform.Worker.Host.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace McpPlatform.Worker.Host.Tests.Extensions;

public sealed class HostWiringTests
{
    [Fact(Timeout = 60_000)]
    public async Task Host_ServesTheCatalogAndDrainsAcceptedCallsOnStop()
    {
        var root = Path.Combine(Path.GetTempPath(), "mcp-worker-host-tests", Guid.NewGuid().ToString("n"));
        using var host = Build(new Dictionary<string, string?>
        {
            ["Worker:WorkspaceRoot"] = root,
            ["Worker:Servers:echo:Command"] = "dotnet",
            ["Worker:Servers:echo:Args:0"] = TestPool.SampleDll("EchoServer"),
            ["Worker:Servers:echo:MinSlots"] = "1",
        });
        await host.StartAsync();
        var pool = host.Services.GetRequiredService<IWorkerPool>();
        var lease = await pool.AcquireAsync("echo", "t", null, CancellationToken.None);
        var call = lease.SendAsync(TestPool.Call(1, "sleep", new { ms = 500 }), null, CancellationToken.None).AsTask();
        var pid = lease.ProcessId;

        var stopping = host.StopAsync();
        using (var response = await call)
        {
            Assert.Equal("slept 500 ms", TestPool.Text(response));
        }

        await lease.DisposeAsync();
        await stopping;

        Assert.True(pid == 0 || TestPool.IsGone(pid));
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void Host_InvalidCatalogFailsAtStartWithEveryProblem()
    {
        using var host = Build(new Dictionary<string, string?>
        {
            ["Worker:Servers:one:MaxSlots"] = "0",
            ["Worker:Servers:two:Command"] = "x",
            ["Worker:Servers:two:CallTimeout"] = "-00:00:01",
        });

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<WorkerOptions>>().Value);

        Assert.Contains(error.Failures, f => f.Contains("one:Command", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("one:MaxSlots", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("two:CallTimeout", StringComparison.Ordinal));
    }

    [Fact]
    public void DefaultAppSettings_CatalogIsValid()
    {
        var settings = Path.Combine(RepoLocator.Resolve(string.Empty), "Worker.Host", "appsettings.json");
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddJsonFile(settings);
        builder.AddWorkerPool();
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<IOptions<WorkerOptions>>().Value;

        Assert.Equal(IsolationMode.Shared, options.Servers["echo"].Isolation);
        Assert.Equal(IsolationMode.Shared, options.Servers["conformance"].Isolation);
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddWorkerPool();
        return builder.Build();
    }
}
