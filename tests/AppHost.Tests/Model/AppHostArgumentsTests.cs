using McpPlatform.Hosting;

namespace McpPlatform.AppHost.Tests.Model;

public sealed class AppHostArgumentsTests
{
    private static readonly System.Reflection.Assembly AppHostAssembly = typeof(PlatformTopology).Assembly;

    [Fact]
    public void NoArguments_UseTheRepositoryStateFolder()
    {
        var options = AppHostArguments.Parse([], AppHostAssembly);

        Assert.Equal(Path.Combine(options.RepositoryRoot, ".state", "apphost"), options.StateDirectory);
        Assert.False(options.Fresh);
        Assert.Null(options.StateFile);
        Assert.Null(options.PublishDirectory);
    }

    [Fact]
    public void EveryOption_IsRead()
    {
        var options = AppHostArguments.Parse(["--fresh", "--no-live", "--quiet", "--state-dir", "/tmp/s", "--state-file", "/tmp/s.json"], AppHostAssembly);

        Assert.True(options.Fresh);
        Assert.False(options.Interactive);
        Assert.False(options.ShowResourceLogs);
        Assert.Equal("/tmp/s", options.StateDirectory);
        Assert.Equal("/tmp/s.json", options.StateFile);
    }

    [Fact]
    public void Publish_DefaultsToTheDockerFolder_AndTakesAnOutput()
    {
        Assert.EndsWith("/docker", AppHostArguments.Parse(["publish"], AppHostAssembly).PublishDirectory, StringComparison.Ordinal);
        Assert.Equal("/tmp/out", AppHostArguments.Parse(["publish", "--output", "/tmp/out"], AppHostAssembly).PublishDirectory);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--state-file")]
    [InlineData("--output", "/tmp/x")]
    [InlineData("--fresh", "publish")]
    public void BadCommandLine_IsRefusedWithTheUsage(params string[] args)
    {
        var failure = Assert.Throws<DistributedApplicationException>(() => AppHostArguments.Parse(args, AppHostAssembly));

        Assert.Contains("usage: dotnet run --project AppHost", failure.Message, StringComparison.Ordinal);
    }
}
