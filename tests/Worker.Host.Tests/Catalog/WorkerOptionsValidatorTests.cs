using McpPlatform.Worker.Host.Catalog;

namespace McpPlatform.Worker.Host.Tests.Catalog;

public sealed class WorkerOptionsValidatorTests
{
    [Fact]
    public void InvalidCatalog_ListsEveryProblem()
    {
        var options = new WorkerOptions
        {
            Servers =
            {
                ["Bad Name"] = new ServerDefinition { Command = "x" },
                ["nocommand"] = new ServerDefinition { MaxSlots = 0, CallTimeout = TimeSpan.Zero },
                ["shared-with-tenant-env"] = new ServerDefinition { Command = "x", TenantEnv = { ["a"] = new() { ["K"] = "v" } } },
            },
        };

        var result = new WorkerOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Contains(failures, f => f.Contains("Worker:Servers:Bad Name: the name", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("nocommand:Command is required", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("nocommand:MaxSlots", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("nocommand:CallTimeout", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("shared-with-tenant-env:TenantEnv", StringComparison.Ordinal));
    }

    [Fact]
    public void DefaultCatalogShape_IsValid()
    {
        var options = new WorkerOptions { Servers = { ["echo"] = new ServerDefinition { Command = "dotnet", Args = ["x.dll"] } } };

        Assert.True(new WorkerOptionsValidator().Validate(null, options).Succeeded);
    }
}
