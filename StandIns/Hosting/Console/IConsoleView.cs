using McpPlatform.Hosting.Orchestration;

namespace McpPlatform.Hosting.Console;

/// <summary>What the orchestrator shows a person: resource logs, states, notices and failures.</summary>
internal interface IConsoleView : IDisposable
{
    void ResourceLog(string resource, string line, bool isError);

    void StateChanged(IReadOnlyList<ResourceSnapshot> resources);

    void Ready(IReadOnlyList<ResourceSnapshot> resources);

    void Notice(string text);

    void Message(string text);

    void Failure(string text);
}

/// <summary>Picks the view for the options: a sink for tests, a live table on a terminal, plain lines otherwise.</summary>
internal static class ConsoleViews
{
    public static IConsoleView For(DistributedApplicationOptions options) =>
        options.LogSink is { } sink ? new SinkConsoleView(sink)
        : options.Interactive ? new LiveConsoleView(options.ShowResourceLogs)
        : new PlainConsoleView(options.ShowResourceLogs);
}
