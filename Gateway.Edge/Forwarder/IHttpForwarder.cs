namespace McpPlatform.Gateway.Edge.Forwarder;

/// <summary>Forwards one request to one upstream address and streams the answer back (YARP's IHttpForwarder shape).</summary>
public interface IHttpForwarder
{
    /// <summary>
    /// Sends <paramref name="context"/>'s request to <paramref name="destination"/> and copies the
    /// response back. Never throws for an upstream or client failure: the failure is the result.
    /// </summary>
    ValueTask<ForwarderResult> SendAsync(HttpContext context, Uri destination, TimeSpan activityTimeout, CancellationToken cancellationToken);
}

/// <summary>What one forwarding attempt did.</summary>
/// <param name="Error">The failure, or <see cref="ForwarderError.None"/>.</param>
/// <param name="Exception">The exception behind the failure.</param>
/// <param name="UpstreamStatus">The upstream's status code, when its response headers arrived.</param>
/// <param name="UpstreamLatency">Time from sending to the response headers (or to the failure).</param>
public readonly record struct ForwarderResult(ForwarderError Error, Exception? Exception, int? UpstreamStatus, TimeSpan UpstreamLatency);
