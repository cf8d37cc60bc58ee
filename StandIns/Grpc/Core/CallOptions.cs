namespace Grpc.Core;

/// <summary>Options of one client call: headers, deadline, cancellation.</summary>
public readonly struct CallOptions
{
    /// <summary>Creates call options.</summary>
    public CallOptions(Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default, WriteOptions? writeOptions = null)
    {
        Headers = headers;
        Deadline = deadline;
        CancellationToken = cancellationToken;
        WriteOptions = writeOptions;
    }

    /// <summary>Request headers to send.</summary>
    public Metadata? Headers { get; }

    /// <summary>The call's deadline (UTC); null for none. Sent as <c>grpc-timeout</c>.</summary>
    public DateTime? Deadline { get; }

    /// <summary>Cancels the call (the stream is reset).</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Write options for request messages.</summary>
    public WriteOptions? WriteOptions { get; }

    /// <summary>Returns a copy with other headers.</summary>
    public CallOptions WithHeaders(Metadata headers) => new(headers, Deadline, CancellationToken, WriteOptions);

    /// <summary>Returns a copy with another deadline.</summary>
    public CallOptions WithDeadline(DateTime deadline) => new(Headers, deadline, CancellationToken, WriteOptions);

    /// <summary>Returns a copy with another cancellation token.</summary>
    public CallOptions WithCancellationToken(CancellationToken cancellationToken) => new(Headers, Deadline, cancellationToken, WriteOptions);
}
