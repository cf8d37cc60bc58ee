using McpPlatform.Gateway.Edge.Tests.Support;
using McpPlatform.Hosting;
using McpPlatform.TestSupport;
using Xunit.Abstractions;

namespace McpPlatform.Gateway.Edge.Tests.Routing;

public sealed class ConfigurationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task BadRouteTable_RefusesToStart_ListingEveryProblem()
    {
        var failure = await Assert.ThrowsAsync<DistributedApplicationException>(() => ServiceUnderTest.StartAsync(new BufferedOutput(), builder => builder
            .AddProject("gateway-edge", "Gateway.Edge/Gateway.Edge.csproj")
            .WithEnvironment("Edge__Routes__relative__Path", "account/{**rest}")
            .WithEnvironment("Edge__Routes__relative__Service", "identity")
            .WithEnvironment("Edge__Routes__orphan__Path", "/orphan")
            .WithEnvironment("Edge__Routes__again__Path", "/token")
            .WithEnvironment("Edge__Routes__again__Service", "identity")
            .WithEnvironment("Edge__Routes__broken__Path", "/x/{unclosed")
            .WithEnvironment("Edge__Routes__broken__Service", "bad name!")
            .WithEnvironment("Edge__Routes__shadow__Path", "/{**everything}")
            .WithEnvironment("Edge__Routes__shadow__Service", "identity")
            .WithEnvironment("Edge__Limits__MaxConnectionsPerClientIp", "-1")));
        output.WriteLine(failure.Message);

        Assert.Contains("Edge:Routes:relative:Path 'account/{**rest}' must start with '/'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Edge:Routes:orphan:Service is required", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Edge:Routes:token:Path '/token' is also the path of route 'again'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Edge:Routes:broken:Path '/x/{unclosed' is not a valid route template", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Edge:Routes:broken:Service 'bad name!' may contain only", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Edge:Routes:shadow:Path '/{**everything}' would hide the service's own /health/live", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Edge:Limits:MaxConnectionsPerClientIp must be 0 (unlimited) or more", failure.Message, StringComparison.Ordinal);
    }
}
