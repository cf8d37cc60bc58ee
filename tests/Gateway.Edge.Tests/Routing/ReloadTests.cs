using System.Net;
using System.Text.Json.Nodes;
using McpPlatform.Gateway.Edge.Tests.Support;
using McpPlatform.Hosting;
using McpPlatform.TestSupport;
using Xunit.Abstractions;

namespace McpPlatform.Gateway.Edge.Tests.Routing;

public sealed class ReloadTests(ITestOutputHelper output)
{
    [Fact]
    public async Task BadRouteTableReload_KeepsTheLastGoodTable_AndAGoodOneApplies()
    {
        // The edge runs from a content root of its own, so the test can edit its appsettings.json.
        var contentRoot = Directory.CreateTempSubdirectory("edge-reload-").FullName;
        var settings = Path.Combine(contentRoot, "appsettings.json");
        File.Copy(Path.Combine(RepositoryRoot(), "Gateway.Edge", "appsettings.json"), settings);
        await using var identity = await Upstream.StartAsync("identity");
        try
        {
            await using var service = await ServiceUnderTest.StartAsync(output, builder => builder
                .AddProject("gateway-edge", "Gateway.Edge/Gateway.Edge.csproj")
                .WithArgs("--contentRoot", contentRoot)
                .WithEnvironment("services__identity__http__0", identity.Url.ToString()));
            using var client = new HttpClient { BaseAddress = service.App.GetEndpoint("gateway-edge") };
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/token")).StatusCode);

            Rewrite(settings, routes =>
            {
                routes["token"]!["Path"] = "token";
                routes["extra"] = new JsonObject { ["Path"] = "/extra", ["Service"] = "identity" };
            });
            await Eventually.UntilAsync(() => service.JsonLogLines("gateway-edge").Any(line => line.GetProperty("EventId").GetInt32() == 1100), "the rejected reload's log line");

            Assert.Contains(service.JsonLogLines("gateway-edge"), line =>
                line.GetProperty("EventId").GetInt32() == 1100
                && line.GetProperty("Message").GetString()!.Contains("Edge:Routes:token:Path 'token' must start with '/'", StringComparison.Ordinal));
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/token")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/extra")).StatusCode);

            Rewrite(settings, routes =>
            {
                routes["token"]!["Path"] = "/token";
                routes["extra"] = new JsonObject { ["Path"] = "/extra", ["Service"] = "identity" };
            });
            await Eventually.UntilAsync(async () => (await client.GetAsync("/extra")).StatusCode == HttpStatusCode.OK, "the new route");
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/token")).StatusCode);
        }
        finally
        {
            Directory.Delete(contentRoot, recursive: true);
        }
    }

    /// <summary>Edits the route table and replaces the file in one rename, so the watcher never reads half a file.</summary>
    private static void Rewrite(string settings, Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(File.ReadAllText(settings))!.AsObject();
        edit(root["Edge"]!["Routes"]!.AsObject());
        var next = settings + ".next";
        File.WriteAllText(next, root.ToJsonString());
        File.Move(next, settings, overwrite: true);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Gateway.Edge", "appsettings.json")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Gateway.Edge/appsettings.json not found above " + AppContext.BaseDirectory);
    }
}
