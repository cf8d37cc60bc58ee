using System.Text;
using McpPlatform.Worker.Host.Pool;

namespace McpPlatform.Worker.Host.Tests.Infrastructure;

/// <summary>Keeps every related message as a string.</summary>
internal sealed class CollectingSink : IRelatedMessageSink
{
    private readonly List<string> _messages = [];

    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    public void OnMessage(ReadOnlySpan<byte> json)
    {
        lock (_messages)
        {
            _messages.Add(Encoding.UTF8.GetString(json));
        }
    }
}
