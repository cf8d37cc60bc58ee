namespace McpPlatform.Gateway.Edge.Forwarder;

/// <summary>
/// A cancellation source that fires after a period with no activity, not after a total duration:
/// every chunk read or written pushes the deadline back, so a ten-minute stream that keeps moving
/// is never cut, and a stalled one is. It also fires when the client aborts.
/// </summary>
internal sealed class ActivityTimeout : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly CancellationTokenRegistration _clientAborted;
    private readonly TimeSpan _timeout;
    private readonly CancellationToken _client;

    public ActivityTimeout(TimeSpan timeout, TimeProvider time, CancellationToken client)
    {
        _timeout = timeout;
        _client = client;
        _source = new CancellationTokenSource(timeout, time);
        _clientAborted = client.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), _source);
    }

    public CancellationToken Token => _source.Token;

    /// <summary>True when the deadline passed (rather than the client aborting).</summary>
    public bool TimedOut => _source.IsCancellationRequested && !_client.IsCancellationRequested;

    public bool ClientAborted => _client.IsCancellationRequested;

    public TimeSpan Timeout => _timeout;

    public void Reset()
    {
        try
        {
            _source.CancelAfter(_timeout);
        }
        catch (ObjectDisposedException)
        {
            // A late chunk after the exchange ended: nothing left to time out.
        }
    }

    public void Dispose()
    {
        _clientAborted.Dispose();
        _source.Dispose();
    }
}
