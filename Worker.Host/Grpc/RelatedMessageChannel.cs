using System.Threading.Channels;
using McpPlatform.Worker.Host.Pool;

namespace McpPlatform.Worker.Host.Grpc;

/// <summary>
/// Copies a call's related messages off the slot's stdout reader (which must never block) into a channel the
/// handler drains onto the response stream, so they reach the caller as they come and in order.
/// </summary>
internal sealed class RelatedMessageChannel : IRelatedMessageSink
{
    private readonly Channel<byte[]> _messages = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<byte[]> Reader => _messages.Reader;

    public void OnMessage(ReadOnlySpan<byte> json) => _messages.Writer.TryWrite(json.ToArray());

    public void Complete() => _messages.Writer.TryComplete();
}
