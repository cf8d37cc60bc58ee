using Grpc.Core;
using McpPlatform.StandIns.Grpc.Framing;

namespace McpPlatform.StandIns.Grpc.Server;

/// <summary>The request stream of a client-streaming or bidirectional call.</summary>
internal sealed class HttpRequestStreamReader<T> : IAsyncStreamReader<T>
    where T : class
{
    private readonly HttpContextServerCallContext _call;
    private readonly MessageReader _reader;
    private readonly Func<DeserializationContext, T> _deserializer;
    private T? _current;

    public HttpRequestStreamReader(HttpContextServerCallContext call, MessageReader reader, Func<DeserializationContext, T> deserializer)
    {
        _call = call;
        _reader = reader;
        _deserializer = deserializer;
    }

    public T Current => _current ?? throw new InvalidOperationException("No current message: call MoveNext first.");

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        var token = _call.CancellationToken;
        if (cancellationToken.CanBeCanceled && cancellationToken != token)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, cancellationToken);
            _current = await _reader.ReadAsync(_deserializer, linked.Token).ConfigureAwait(false);
        }
        else
        {
            _current = await _reader.ReadAsync(_deserializer, token).ConfigureAwait(false);
        }

        return _current is not null;
    }
}
