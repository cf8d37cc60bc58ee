using McpPlatform.Gateway.Edge.Forwarder;
using McpPlatform.Protocol.JsonRpc;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Mcp.Stateless;

/// <summary>
/// A retry (<c>requestState</c> + <c>inputResponses</c>) that reached a replica other than the one whose memory holds
/// the waiting call: the request is sent on, as received, to that replica (<see cref="ParkedCallOwners"/>), and its
/// answer streams back, SSE included. It happens before this replica's call policy and usage, so the retry is
/// limited, counted and metered once, by the replica that runs it. The hop is marked so a request is sent on at most
/// once (a stale record can never make two replicas bounce it between them).
/// </summary>
internal sealed class ParkedCallForwarder(IHttpForwarder forwarder, ParkedCallOwners owners, InputStateProtector states, IOptions<McpOptions> mcp, ILogger<ParkedCallForwarder> logger)
{
    /// <summary>Set on a request sent on to the replica holding its call; such a request is never sent on again.</summary>
    public const string HopHeader = "McpPlatform-Replica-Hop";

    /// <summary>True when the request was sent on and answered by its call's replica; false when it is this replica's to answer.</summary>
    public async Task<bool> TryForwardAsync(HttpContext http, StatelessRequest request, ReadOnlyMemory<byte> body)
    {
        if (request.RequestState is not { } state || http.Request.Headers.ContainsKey(HopHeader)
            || states.ForeignCallId(state) is not { } callId
            || await owners.OwnerAsync(callId, http.RequestAborted).ConfigureAwait(false) is not { } owner)
        {
            return false;
        }

        http.Request.Body = new MemoryStream(body.ToArray(), writable: false);
        http.Request.ContentLength = body.Length;
        http.Request.Headers[HopHeader] = "1";
        var result = await forwarder.SendAsync(http, owner, mcp.Value.RequestTimeout ?? Timeout.InfiniteTimeSpan, http.RequestAborted).ConfigureAwait(false);
        if (result.Error == ForwarderError.None || result.Error.IsClientSide())
        {
            return true;
        }

        StatelessLog.ForwardFailed(logger, owner.Authority, result.Error.ToString(), result.Exception?.Message ?? "no detail");
        if (!http.Response.HasStarted)
        {
            // The replica holding the call is gone, and the waiting process with it: the client starts over.
            await StatelessResults.ErrorAsync(http, StatusCodes.Status400BadRequest, request.Id, JsonRpcErrorCodes.InvalidParams,
                "The gateway replica holding this request's state is unreachable, so the waiting call is lost. Send the request again without requestState and inputResponses.").ConfigureAwait(false);
        }

        return true;
    }
}
