using System.Text.Json;
using McpPlatform.Gateway.Edge.Tests.Mcp.Legacy;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Xunit;

namespace McpPlatform.Gateway.Edge.Tests.Mcp;

/// <summary>
/// <c>@modelcontextprotocol/server-everything</c> (session isolation, the worker's default catalog) behind the gateway,
/// the dispatcher and the worker, driven by the real SDK clients over every transport and revision they speak:
/// handshake or discovery, tools, resources, prompts, progress, and the server's own sampling and elicitation requests,
/// answered by the client's handlers and carried back to the process that asked.
/// </summary>
[Collection(McpPlatformCollection.Name)]
public sealed class EverythingTests(McpPlatformFixture platform)
{
    private const string Server = "everything";

    [Theory(Timeout = 180_000)]
    [InlineData("http")]
    [InlineData("sse")]
    public async Task TypeScriptSdkClient_CompletesEveryRoundTrip(string transport)
    {
        var url = new Uri(platform.Gateway, (transport == "sse" ? "/sse/" : "/mcp/") + Server);

        var (exit, seen, errors) = await TypeScriptSdkClient.RunAsync(transport, url, "everything", McpPlatformFixture.ApiKey);

        Assert.True(exit == 0, $"{seen.ToJsonString()}\n{errors}");
        Assert.Equal("mcp-servers/everything", (string?)seen["server"]);
        Assert.Contains("trigger-sampling-request", seen["tools"]!.AsArray().Select(t => (string?)t));
        Assert.Equal("Echo: hello everything", (string?)seen["echo"]);
        Assert.True((int)seen["read"]! > 0);
        Assert.True((int)seen["promptMessages"]! > 0);
        Assert.NotEmpty(seen["progress"]!.AsArray());
        Assert.StartsWith("Long running operation completed", (string?)seen["progressResult"], StringComparison.Ordinal);
        Assert.Equal("Resource trigger-sampling-request context: say hi", (string?)seen["samplingAsked"]);
        Assert.Contains("sampled by the TypeScript SDK", (string?)seen["sampling"], StringComparison.Ordinal);
        Assert.Contains("- Name: Ada Lovelace", (string?)seen["elicitation"], StringComparison.Ordinal);
    }

    [Theory(Timeout = 180_000)]
    [InlineData("http", "2025-11-25")]
    [InlineData("http", "2026-07-28")]
    [InlineData("sse", null)]
    public async Task CSharpSdkClient_CompletesEveryRoundTrip(string transport, string? revision)
    {
        var asked = new Asked();
        await using var client = await McpClient.CreateAsync(Transport(transport), Options(revision, asked));

        var tools = await client.ListToolsAsync();
        var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "hello everything" });
        var resources = await client.ListResourcesAsync();
        var read = await client.ReadResourceAsync(resources[0].Uri);
        var prompts = await client.ListPromptsAsync();
        var prompt = await client.GetPromptAsync("simple-prompt");
        var progress = new FirstProgress();
        var operation = await client.CallToolAsync("trigger-long-running-operation", new Dictionary<string, object?> { ["duration"] = 1.5, ["steps"] = 3 }, progress);
        var sampling = await client.CallToolAsync("trigger-sampling-request", new Dictionary<string, object?> { ["prompt"] = "say hi", ["maxTokens"] = 10 });
        var elicitation = await client.CallToolAsync("trigger-elicitation-request", new Dictionary<string, object?>());

        if (revision is not null)
        {
            Assert.Equal(revision, client.NegotiatedProtocolVersion);
        }

        Assert.Equal("mcp-servers/everything", client.ServerInfo?.Name);
        Assert.Contains(tools, t => t.Name == "trigger-elicitation-request");
        Assert.Equal("Echo: hello everything", Text(echo));
        Assert.NotEmpty(read.Contents);
        Assert.Contains(prompts, p => p.Name == "simple-prompt");
        Assert.NotEmpty(prompt.Messages);
        Assert.StartsWith("Long running operation completed", Text(operation), StringComparison.Ordinal);
        // The first of three notifications comes 0.5 s before the result: the SDK hands it over long before it
        // drops the call's handler (later ones may race with that, see SdkClientTests).
        Assert.True(await progress.First.Task.WaitAsync(TimeSpan.FromSeconds(30)) > 0);
        Assert.Equal("Resource trigger-sampling-request context: say hi", asked.Sampling);
        Assert.Contains("sampled by the C# SDK", Text(sampling), StringComparison.Ordinal);
        Assert.Equal("Please provide inputs for the following fields:", asked.Elicitation);
        Assert.Contains("- Name: Ada Lovelace", string.Join('\n', elicitation.Content.OfType<TextContentBlock>().Select(c => c.Text)), StringComparison.Ordinal);
    }

    private HttpClientTransport Transport(string transport) => new(new HttpClientTransportOptions
    {
        Endpoint = new Uri(platform.Gateway, (transport == "sse" ? "/sse/" : "/mcp/") + Server),
        TransportMode = transport == "sse" ? HttpTransportMode.Sse : HttpTransportMode.StreamableHttp,
        AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + McpPlatformFixture.ApiKey },
    });

    // Sampling is deprecated from 2026-07-28 (SEP-2577) but still part of every revision the gateway serves, and
    // server-everything uses it: the test must answer it.
#pragma warning disable MCP9005
    private static McpClientOptions Options(string? revision, Asked asked) => new()
    {
        ProtocolVersion = revision,
        Handlers = new McpClientHandlers
        {
            SamplingHandler = (request, _, _) =>
            {
                asked.Sampling = request?.Messages.SelectMany(m => m.Content).OfType<TextContentBlock>().FirstOrDefault()?.Text;
                return ValueTask.FromResult(new CreateMessageResult { Content = [new TextContentBlock { Text = "sampled by the C# SDK" }], Model = "test-model", StopReason = "endTurn" });
            },
            ElicitationHandler = (request, _) =>
            {
                asked.Elicitation = request?.Message;
                return ValueTask.FromResult(new ElicitResult
                {
                    Action = "accept",
                    Content = new Dictionary<string, JsonElement> { ["name"] = JsonSerializer.SerializeToElement("Ada Lovelace"), ["check"] = JsonSerializer.SerializeToElement(true) },
                });
            },
        },
    };

#pragma warning restore MCP9005

    private static string? Text(CallToolResult result) => result.Content.OfType<TextContentBlock>().FirstOrDefault()?.Text;

    private sealed class Asked
    {
        public volatile string? Sampling;
        public volatile string? Elicitation;
    }

    /// <summary>Completes with the first progress value the SDK reports for the call.</summary>
    private sealed class FirstProgress : IProgress<ProgressNotificationValue>
    {
        public TaskCompletionSource<float> First { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Report(ProgressNotificationValue value) => First.TrySetResult(value.Progress);
    }
}
