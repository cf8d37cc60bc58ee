using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpPlatform.ConformanceServer;

/// <summary>The conformance suite's prompt fixtures and argument completion.</summary>
internal static class ConformancePrompts
{
    private static readonly string[] Suggestions = ["paris", "park", "party"];

    private static readonly List<Prompt> Prompts =
    [
        new() { Name = "test_simple_prompt", Description = "A simple prompt without arguments." },
        new()
        {
            Name = "test_prompt_with_arguments",
            Description = "A prompt with two required arguments.",
            Arguments =
            [
                new() { Name = "arg1", Description = "First test argument", Required = true },
                new() { Name = "arg2", Description = "Second test argument", Required = true },
            ],
        },
        new()
        {
            Name = "test_prompt_with_embedded_resource",
            Description = "A prompt that embeds a resource.",
            Arguments = [new() { Name = "resourceUri", Description = "URI of the resource to embed", Required = true }],
        },
        new() { Name = "test_prompt_with_image", Description = "A prompt with image content." },
    ];

    public static ValueTask<ListPromptsResult> ListAsync(RequestContext<ListPromptsRequestParams> request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new ListPromptsResult { Prompts = Prompts });

    public static ValueTask<GetPromptResult> GetAsync(RequestContext<GetPromptRequestParams> request, CancellationToken cancellationToken)
    {
        var args = request.Params?.Arguments;
        string Arg(string name) => args is not null && args.TryGetValue(name, out var v) ? v.ToString() : string.Empty;

        List<PromptMessage> messages = request.Params?.Name switch
        {
            "test_simple_prompt" => [User(ConformanceTools.Text("This is a simple prompt for testing."))],
            "test_prompt_with_arguments" => [User(ConformanceTools.Text($"Prompt with arguments: arg1='{Arg("arg1")}', arg2='{Arg("arg2")}'"))],
            "test_prompt_with_embedded_resource" =>
            [
                User(new EmbeddedResourceBlock
                {
                    Resource = new TextResourceContents { Uri = Arg("resourceUri"), MimeType = "text/plain", Text = "Embedded resource content for testing." },
                }),
                User(ConformanceTools.Text("Please process the embedded resource above.")),
            ],
            "test_prompt_with_image" => [User(ConformanceTools.Image()), User(ConformanceTools.Text("Please analyze the image above."))],
            _ => throw new McpProtocolException($"Unknown prompt '{request.Params?.Name}'.", McpErrorCode.InvalidParams),
        };
        return ValueTask.FromResult(new GetPromptResult { Messages = messages });
    }

    public static ValueTask<CompleteResult> CompleteAsync(RequestContext<CompleteRequestParams> request, CancellationToken cancellationToken)
    {
        var prefix = request.Params?.Argument.Value ?? string.Empty;
        var values = Suggestions.Where(s => s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).ToList();
        return ValueTask.FromResult(new CompleteResult { Completion = new Completion { Values = values, Total = values.Count, HasMore = false } });
    }

    private static PromptMessage User(ContentBlock content) => new() { Role = Role.User, Content = content };
}
