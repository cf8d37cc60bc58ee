using System.Diagnostics.Metrics;
using McpPlatform.Worker.Host.Catalog;
using McpPlatform.Worker.Host.Pool;
using McpPlatform.Worker.Host.Workspaces;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace McpPlatform.Worker.Host.Tests.Workspaces;

public sealed class WorkspaceTests : IDisposable
{
    private readonly WorkerOptions _options = new()
    {
        WorkspaceRoot = Path.Combine(Path.GetTempPath(), "mcp-worker-ws-tests", Guid.NewGuid().ToString("n")),
        WorkspaceMaxAge = TimeSpan.FromDays(1),
        WorkspaceMaxTotalMb = 1,
    };

    [Theory]
    [InlineData("../../etc")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData("..")]
    public void HostileIds_StayInsideTheRoot(string id)
    {
        var manager = new WorkspaceManager(Options.Create(_options));
        var server = new ServerDefinition { Name = "echo" };

        var tenantPath = manager.Resolve(server, 1, id.Length == 0 ? "x" : id, null);
        var sessionPath = manager.Resolve(server, 1, "acme", id);

        Assert.StartsWith(manager.Root + Path.DirectorySeparatorChar, Path.GetFullPath(tenantPath), StringComparison.Ordinal);
        Assert.StartsWith(Path.Combine(manager.Root, "tenants", "acme", "sessions"), Path.GetFullPath(sessionPath), StringComparison.Ordinal);
    }

    [Fact]
    public void Cleaner_DeletesOldAndOversizedUnusedWorkspacesOnly()
    {
        var manager = new WorkspaceManager(Options.Create(_options));
        var server = new ServerDefinition { Name = "echo" };
        var old = manager.Resolve(server, 1, "old", null);
        manager.Release(old);
        Directory.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddDays(-3));
        var inUse = manager.Resolve(server, 1, "busy", null);
        File.WriteAllBytes(Path.Combine(inUse, "big.bin"), new byte[2 * 1024 * 1024]);
        var big = manager.Resolve(server, 2, null, null);
        File.WriteAllBytes(Path.Combine(big, "big.bin"), new byte[2 * 1024 * 1024]);
        manager.Release(big);
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var cleaner = new WorkspaceCleaner(manager, Options.Create(_options), TimeProvider.System,
            new PoolMetrics(services.GetRequiredService<IMeterFactory>()), NullLogger<WorkspaceCleaner>.Instance);

        var deleted = cleaner.CleanOnce();

        Assert.Equal(2, deleted);
        Assert.False(Directory.Exists(old));
        Assert.False(Directory.Exists(big));
        Assert.True(Directory.Exists(inUse));
        Assert.Equal(2 * 1024 * 1024, cleaner.TotalBytes);
    }

    public void Dispose()
    {
        if (Directory.Exists(_options.WorkspaceRoot))
        {
            Directory.Delete(_options.WorkspaceRoot, recursive: true);
        }
    }
}
