using System.Text.Json.Nodes;
using Xunit;

namespace McpPlatform.Gateway.Edge.Tests.Mcp;

/// <summary>
/// The TypeScript SDK client as the real peer (<c>node/resume-client.mjs</c>): its POST stream is cut after the first
/// progress event and the SDK resumes it by itself with GET + Last-Event-ID, on the other replica.
/// </summary>
[Collection(McpPlatformCollection.Name)]
public sealed class PostStreamResumptionSdkTests(McpPlatformFixture platform)
{
    [Theory(Timeout = 120_000)]
    [InlineData("echo")]
    [InlineData("echo-session")]
    public async Task TypeScriptSdk_DroppedPostStream_ResumesOnTheOtherReplica_WithEveryProgressOnce(string server)
    {
        var (exitCode, seen, errors) = await RunAsync(platform.Endpoint(server, 0), platform.Endpoint(server, 1));

        Assert.True(exitCode == 0, errors);
        Assert.True(seen["dropped"]!.GetValue<bool>(), "the POST stream was not cut");
        var resumedWith = Assert.Single(seen["resumedWith"]!.AsArray())!.GetValue<string>();
        Assert.StartsWith("p", resumedWith, StringComparison.Ordinal);
        Assert.Equal([1, 2, 3, 4], seen["progress"]!.AsArray().Select(p => (int)p!.GetValue<double>()));
        Assert.Equal("done 4 steps", seen["result"]!.GetValue<string>());
    }

    private static Task<(int ExitCode, JsonObject Seen, string Errors)> RunAsync(Uri url, Uri otherReplica) =>
        Legacy.TypeScriptSdkClient.RunScriptAsync("resume-client.mjs", url.ToString(), otherReplica.ToString(), McpPlatformFixture.ApiKey);
}
