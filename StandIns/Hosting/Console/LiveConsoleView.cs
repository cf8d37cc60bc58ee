using System.Text;
using McpPlatform.Hosting.Orchestration;
using Spectre.Console;

namespace McpPlatform.Hosting.Console;

/// <summary>
/// A terminal view: resource logs scroll, prefixed and coloured per resource, above a table of
/// resources that stays at the bottom. Output is batched every 100 ms; each batch erases the
/// table, writes the new log lines and draws the table again.
/// </summary>
internal sealed class LiveConsoleView : IConsoleView
{
    private static readonly string[] Palette = ["cyan", "magenta", "green", "yellow", "blue", "orange1", "purple", "teal", "gold1"];

    private readonly bool _showResourceLogs;
    private readonly Lock _lock = new();
    private readonly List<string> _pending = [];
    private readonly Dictionary<string, string> _colors = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private IReadOnlyList<ResourceSnapshot> _resources = [];
    private bool _dirty;
    private int _footerLines;

    public LiveConsoleView(bool showResourceLogs)
    {
        _showResourceLogs = showResourceLogs;
        _loop = Task.Run(RenderLoopAsync);
    }

    public void ResourceLog(string resource, string line, bool isError)
    {
        if (!_showResourceLogs)
        {
            return;
        }
        var (level, text) = LogLineFormatter.Format(line);
        var levelMarkup = level switch
        {
            "warn" => "[yellow]warn[/] ",
            "fail" or "crit" => $"[red]{level}[/] ",
            "" => string.Empty,
            _ => $"[grey]{level}[/] ",
        };
        lock (_lock)
        {
            _pending.Add($"[{ColorOf(resource)}]{Markup.Escape(resource),-16}[/]│ {levelMarkup}{Markup.Escape(text)}");
        }
    }

    public void StateChanged(IReadOnlyList<ResourceSnapshot> resources)
    {
        lock (_lock)
        {
            _resources = resources;
            _dirty = true;
        }
    }

    public void Ready(IReadOnlyList<ResourceSnapshot> resources) => StateChanged(resources);

    public void Notice(string text)
    {
        lock (_lock)
        {
            _pending.Add("[bold]» " + Markup.Escape(text) + "[/]");
        }
    }

    public void Message(string text)
    {
        lock (_lock)
        {
            _pending.AddRange(text.Split('\n').Select(line => Markup.Escape(line.TrimEnd('\r'))));
        }
    }

    public void Failure(string text)
    {
        lock (_lock)
        {
            _pending.Add("[red bold]✗ " + Markup.Escape(text) + "[/]");
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _loop.GetAwaiter().GetResult();
        Flush();
        _stop.Dispose();
    }

    private async Task RenderLoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                Flush();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Flush()
    {
        string[] lines;
        IReadOnlyList<ResourceSnapshot> resources;
        lock (_lock)
        {
            if (_pending.Count == 0 && !_dirty)
            {
                return;
            }
            lines = [.. _pending];
            _pending.Clear();
            _dirty = false;
            resources = _resources;
        }

        var output = new StringBuilder();
        if (_footerLines > 0)
        {
            output.Append($"\u001b[{_footerLines}F\u001b[J"); // to the table's first line, then erase to the end
        }
        output.Append(Render(console =>
        {
            foreach (var line in lines)
            {
                console.MarkupLine(line);
            }
        }));
        var footer = resources.Count == 0 ? string.Empty : Render(console => console.Write(ResourceTable.Build(resources)));
        _footerLines = footer.Count(c => c == '\n');
        output.Append(footer);
        System.Console.Out.Write(output.ToString());
        System.Console.Out.Flush();
    }

    private static string Render(Action<IAnsiConsole> write)
    {
        var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.Standard,
            Out = new AnsiConsoleOutput(text),
        });
        console.Profile.Width = Math.Max(60, SafeWindowWidth());
        write(console);
        return text.ToString();
    }

    private static int SafeWindowWidth()
    {
        try
        {
            return System.Console.WindowWidth;
        }
        catch (IOException)
        {
            return 120;
        }
    }

    private string ColorOf(string resource)
    {
        if (!_colors.TryGetValue(resource, out var color))
        {
            color = Palette[_colors.Count % Palette.Length];
            _colors[resource] = color;
        }
        return color;
    }
}
