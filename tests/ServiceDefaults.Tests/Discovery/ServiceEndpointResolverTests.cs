using McpPlatform.ServiceDefaults.Discovery;
using Microsoft.Extensions.Configuration;

namespace McpPlatform.ServiceDefaults.Tests.Discovery;

public sealed class ServiceEndpointResolverTests
{
    private static ServiceEndpointResolver Resolver(Dictionary<string, string?> settings) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

    [Fact]
    public void Replicas_AreResolvedInIndexOrder_AndRotatedRoundRobin()
    {
        var resolver = Resolver(new()
        {
            ["services:gateway:http:1"] = "http://127.0.0.1:2",
            ["services:gateway:http:0"] = "http://127.0.0.1:1",
            ["services:gateway:grpc:0"] = "http://127.0.0.1:9",
        });

        Assert.Equal([new Uri("http://127.0.0.1:1"), new Uri("http://127.0.0.1:2")], resolver.Resolve("gateway"));
        Assert.Equal([new Uri("http://127.0.0.1:9")], resolver.Resolve("gateway", "grpc"));
        var picks = Enumerable.Range(0, 4).Select(_ => resolver.Next("gateway")!.Port).ToArray();
        Assert.Equal([1, 2, 1, 2], picks);
    }

    [Fact]
    public void UnknownService_ResolvesToNothing_AndRequiredNamesTheSetting()
    {
        var resolver = Resolver(new() { ["services:other:http:0"] = "not a url" });

        Assert.Empty(resolver.Resolve("other"));
        Assert.Null(resolver.Next("missing"));
        var failure = Assert.Throws<InvalidOperationException>(() => resolver.ResolveRequired("dispatcher", "grpc"));
        Assert.Contains("services__dispatcher__grpc__0", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Addresses_AreReadOnce_AndAgainAfterAConfigurationReload()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["services:access-api:http:0"] = "http://127.0.0.1:1" })
            .Build();
        var resolver = new ServiceEndpointResolver(configuration);
        Assert.Equal(1, resolver.Resolve("access-api").Single().Port);

        configuration["services:access-api:http:0"] = "http://127.0.0.1:2";
        Assert.Equal(1, resolver.Resolve("access-api").Single().Port);

        configuration.Reload();
        Assert.Equal(2, resolver.Resolve("access-api").Single().Port);
    }
}
