using McpPlatform.Hosting.Orchestration;

namespace McpPlatform.Hosting.Console;

/// <summary>Everything as plain lines to a delegate (a test's output).</summary>
internal sealed class SinkConsoleView(Action<string> sink) : IConsoleView
{
    private readonly Dictionary<string, ResourceState> _last = [];

    public void ResourceLog(string resource, string line, bool isError) => Write($"{resource} | {LogLineFormatter.Format(line).Text}");

    public void StateChanged(IReadOnlyList<ResourceSnapshot> resources)
    {
        lock (_last)
        {
            foreach (var resource in resources)
            {
                if (!_last.TryGetValue(resource.Name, out var previous) || previous != resource.State)
                {
                    _last[resource.Name] = resource.State;
                    Write($"{resource.Name} -> {resource.State} {resource.Detail}");
                }
            }
        }
    }

    public void Ready(IReadOnlyList<ResourceSnapshot> resources) => Write("all resources ready");

    public void Notice(string text) => Write(text);

    public void Message(string text) => Write(text);

    public void Failure(string text) => Write("FAILED: " + text);

    public void Dispose()
    {
    }

    private void Write(string line)
    {
        try
        {
            sink(line);
        }
        catch (InvalidOperationException)
        {
            // xUnit's output helper throws once its test has finished; late lines from stopping processes are dropped.
        }
    }
}
