using System.Buffers;

namespace McpPlatform.Worker.Host.Pool;

/// <summary>
/// One JSON-RPC message in a pooled buffer: what <see cref="SlotLease.SendAsync"/> returns and what session
/// leases receive. Dispose it once the bytes have been written on; the buffer goes back to the pool.
/// </summary>
public readonly struct RpcMessage : IDisposable
{
    private readonly byte[]? _buffer;
    private readonly int _length;

    internal RpcMessage(byte[] buffer, int length, RpcFailure failure = RpcFailure.None, string? failureMessage = null)
    {
        _buffer = buffer;
        _length = length;
        Failure = failure;
        FailureMessage = failureMessage;
    }

    /// <summary>The message as UTF-8 JSON (one object, no trailing newline).</summary>
    public ReadOnlyMemory<byte> Json => _buffer is null ? ReadOnlyMemory<byte>.Empty : _buffer.AsMemory(0, _length);

    /// <summary>Why the pool answered this call itself (the JSON then holds a JSON-RPC error naming the reason).</summary>
    public RpcFailure Failure { get; }

    /// <summary>With a <see cref="Failure"/>: the error message (safe to show to the client), as in the JSON.</summary>
    public string? FailureMessage { get; }

    internal static RpcMessage Copy(ReadOnlySpan<byte> json, RpcFailure failure = RpcFailure.None, string? failureMessage = null)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(json.Length, 1));
        json.CopyTo(buffer);
        return new RpcMessage(buffer, json.Length, failure, failureMessage);
    }

    public void Dispose()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }
    }
}
