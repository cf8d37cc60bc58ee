namespace McpPlatform.Gateway.Edge.Forwarder;

/// <summary>
/// Why a forwarded request did not complete normally. Each value is turned deliberately into what
/// the client sees (see <see cref="ForwarderErrorExtensions.StatusCode"/>).
/// </summary>
public enum ForwarderError
{
    /// <summary>The upstream answered and its whole response reached the client.</summary>
    None,

    /// <summary>The service has no configured address, or every replica is unhealthy: 503.</summary>
    NoAvailableDestinations,

    /// <summary>No connection could be made (refused, unreachable, connect timeout); nothing was sent: 502.</summary>
    ConnectFailed,

    /// <summary>The upstream failed before its response headers (reset, closed, invalid response): 502.</summary>
    Request,

    /// <summary>No activity within the activity timeout before the response headers: 504.</summary>
    RequestTimedOut,

    /// <summary>The client went away before the response headers: nothing to answer.</summary>
    RequestCanceled,

    /// <summary>Reading the client's request body failed (client aborted, or over the body limit: 413).</summary>
    RequestBodyClient,

    /// <summary>The upstream failed while receiving the request body: 502.</summary>
    RequestBodyDestination,

    /// <summary>The upstream failed mid-response, after the headers went out: the client connection is aborted.</summary>
    ResponseBodyDestination,

    /// <summary>The client went away mid-response: nothing to answer.</summary>
    ResponseBodyClient,

    /// <summary>No activity within the activity timeout mid-response: the client connection is aborted.</summary>
    ResponseBodyTimedOut,
}

/// <summary>What each <see cref="ForwarderError"/> means to the client.</summary>
public static class ForwarderErrorExtensions
{
    /// <summary>The status a client gets when the response has not started; 499 (nginx's "client closed request") when nobody is listening.</summary>
    public static int StatusCode(this ForwarderError error) => error switch
    {
        ForwarderError.None => StatusCodes.Status200OK,
        ForwarderError.NoAvailableDestinations => StatusCodes.Status503ServiceUnavailable,
        ForwarderError.RequestTimedOut or ForwarderError.ResponseBodyTimedOut => StatusCodes.Status504GatewayTimeout,
        ForwarderError.RequestCanceled or ForwarderError.ResponseBodyClient => StatusCodes.Status499ClientClosedRequest,
        ForwarderError.RequestBodyClient => StatusCodes.Status400BadRequest,
        _ => StatusCodes.Status502BadGateway,
    };

    /// <summary>Whether the client is gone, so the failure is not worth more than a debug line.</summary>
    public static bool IsClientSide(this ForwarderError error) =>
        error is ForwarderError.RequestCanceled or ForwarderError.ResponseBodyClient or ForwarderError.RequestBodyClient;
}
