using McpPlatform.Hosting.Console;

namespace McpPlatform.Hosting.Orchestration;

/// <summary>A resource's output: kept in <c>{state}/logs/{name}.log</c> and shown, prefixed, by the console view.</summary>
internal sealed class ResourceLog : IDisposable
{
    private readonly string _name;
    private readonly IConsoleView _view;
    private readonly StreamWriter _file;
    private readonly Queue<string> _tail = new();
    private readonly Lock _lock = new();
    private string? _firstError;

    public ResourceLog(string name, string logDirectory, IConsoleView view)
    {
        _name = name;
        _view = view;
        Directory.CreateDirectory(logDirectory);
        _file = new StreamWriter(Path.Combine(logDirectory, name + ".log"), append: false) { AutoFlush = true };
    }

    public void Write(string line, bool isError)
    {
        lock (_lock)
        {
            _file.WriteLine(line);
            if (_firstError is null && (line.StartsWith("Unhandled exception", StringComparison.Ordinal) || line.Contains("\"LogLevel\":\"Critical\"", StringComparison.Ordinal)))
            {
                _firstError = line; // the cause, which a long stack trace would push out of the tail
            }
            _tail.Enqueue(line);
            if (_tail.Count > 20)
            {
                _tail.Dequeue();
            }
        }
        _view.ResourceLog(_name, line, isError);
    }

    /// <summary>The first unhandled exception or critical log line, then the last lines: for a failure message.</summary>
    public string Tail()
    {
        lock (_lock)
        {
            var tail = string.Join(Environment.NewLine, _tail);
            return _firstError is null || _tail.Contains(_firstError) ? tail : _firstError + Environment.NewLine + "…" + Environment.NewLine + tail;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _file.Dispose();
        }
    }
}
