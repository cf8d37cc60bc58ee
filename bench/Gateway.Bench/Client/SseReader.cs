using System.Text;

namespace McpPlatform.Bench.Gateway.Client;

/// <summary>Reads server-sent events from a stream: the data of each event (lines joined with \n), with its event name.</summary>
public sealed class SseReader(Stream stream) : IAsyncDisposable
{
    private readonly StreamReader _reader = new(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 4096);

    /// <summary>The name of the last event read ("message" when none was given).</summary>
    public string EventName { get; private set; } = "message";

    /// <summary>The next event's data as UTF-8, or null at the end of the stream.</summary>
    public async Task<byte[]?> ReadDataAsync(CancellationToken cancellationToken)
    {
        StringBuilder? data = null;
        var name = "message";
        while (await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                if (data is not null)
                {
                    EventName = name;
                    return Encoding.UTF8.GetBytes(data.ToString());
                }
                name = "message";
                continue;
            }
            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                var value = line.AsSpan(5).TrimStart(' ');
                if (data is null)
                {
                    data = new StringBuilder().Append(value);
                }
                else
                {
                    data.Append('\n').Append(value);
                }
            }
            else if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                name = line[6..].Trim();
            }
        }
        if (data is not null)
        {
            EventName = name;
            return Encoding.UTF8.GetBytes(data.ToString());
        }
        return null;
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        return ValueTask.CompletedTask;
    }
}
