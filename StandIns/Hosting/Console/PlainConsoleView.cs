using McpPlatform.Hosting.Orchestration;
using Spectre.Console;

namespace McpPlatform.Hosting.Console;

/// <summary>Plain lines for pipes and CI: prefixed resource logs, state transitions, the table once ready.</summary>
internal sealed class PlainConsoleView(bool showResourceLogs) : IConsoleView
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ResourceState> _last = [];

    // Plain output goes to pipes and CI logs: no colour codes, a fixed width.
    private readonly IAnsiConsole _tables = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
        Out = new AnsiConsoleOutput(System.Console.Out),
    });

    public void ResourceLog(string resource, string line, bool isError)
    {
        if (!showResourceLogs)
        {
            return;
        }
        var (level, text) = LogLineFormatter.Format(line);
        lock (_lock)
        {
            System.Console.Out.WriteLine($"{resource,-16}| {(level.Length > 0 ? level + " " : string.Empty)}{text}");
        }
    }

    public void StateChanged(IReadOnlyList<ResourceSnapshot> resources)
    {
        lock (_lock)
        {
            foreach (var resource in resources)
            {
                if (!_last.TryGetValue(resource.Name, out var previous) || previous != resource.State)
                {
                    _last[resource.Name] = resource.State;
                    if (resource.State != ResourceState.Pending)
                    {
                        System.Console.Out.WriteLine($"» {resource.Name}: {resource.State.ToString().ToLowerInvariant()}{(resource.Detail is null ? string.Empty : $" ({resource.Detail.Split('\n')[0]})")}");
                    }
                }
            }
        }
    }

    public void Ready(IReadOnlyList<ResourceSnapshot> resources)
    {
        lock (_lock)
        {
            _tables.Profile.Width = 120;
            _tables.Write(ResourceTable.Build(resources));
        }
    }

    public void Notice(string text)
    {
        lock (_lock)
        {
            System.Console.Out.WriteLine("» " + text);
        }
    }

    public void Message(string text)
    {
        lock (_lock)
        {
            System.Console.Out.WriteLine(text);
        }
    }

    public void Failure(string text)
    {
        lock (_lock)
        {
            System.Console.Error.WriteLine("✗ " + text);
        }
    }

    public void Dispose()
    {
    }
}
