using System.Collections.Concurrent;
using Xunit.Abstractions;

namespace McpPlatform.Gateway.Edge.Tests.Support;

/// <summary>Collects a shared fixture's log (fixtures get no test output); tests print it when they fail.</summary>
public sealed class BufferedOutput : ITestOutputHelper
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IEnumerable<string> Lines => _lines;

    public void WriteLine(string message) => _lines.Enqueue(message);

    public void WriteLine(string format, params object[] args) => _lines.Enqueue(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
}
