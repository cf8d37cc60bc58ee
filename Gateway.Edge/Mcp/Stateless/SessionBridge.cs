using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.Gateway.Edge.Access;
using McpPlatform.Gateway.Edge.Mcp.Relay;
using McpPlatform.Gateway.Edge.Mcp.Sse;
using McpPlatform.Gateway.Edge.Mcp.Transport;
using McpPlatform.Protocol.JsonRpc;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Mcp.Stateless;

/// <summary>
/// 2026-07-28 requests on a session-isolation server. The revision has no sessions and no server-to-client requests;
/// the server has both. Each request gets a private session (<see cref="PrivateSession"/>); progress and logging
/// stream back on the POST; when the server asks the client something (sampling, elicitation, roots) the POST is
/// answered <c>input_required</c> with the question in <c>inputRequests</c> and a signed <c>requestState</c>, while
/// the upstream request stays waiting in its process (<see cref="ParkedCalls"/>). The client's retry carries
/// <c>inputResponses</c>: they go to the waiting process as the responses to its requests, and the same upstream
/// call goes on, to its result or to the next question. The result closes the session, releasing the process.
/// </summary>
internal sealed class SessionBridge(
    PrivateSession sessions,
    ParkedCalls parked,
    InputStateProtector states,
    ICallPolicy policy,
    IOptions<McpOptions> mcp,
    IOptions<StatelessOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<SessionBridge> logger)
{
    private const string UpstreamId = "gw-call";

    public async Task<RelayOutcome> HandleAsync(HttpContext http, Caller caller, CatalogServer entry, StatelessRequest request)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        if (mcp.Value.RequestTimeout is { } limit)
        {
            timeout.CancelAfter(limit);
        }

        BridgedCall call;
        List<byte[]> outgoing = [];
        if (request.RequestState is { } state)
        {
            if (states.Unprotect(state, caller.PrincipalId, request.Method, request.Name) is not { } callId || parked.Take(callId) is not { } waiting)
            {
                return await ErrorAsync(http, request, StatusCodes.Status400BadRequest, JsonRpcErrorCodes.InvalidParams,
                    "requestState is not valid here: altered, expired, already used, or issued for another request or caller. Send the request again without requestState and inputResponses.", "invalid_request_state").ConfigureAwait(false);
            }

            call = waiting;
            outgoing = call.Answer(request.InputResponses);
        }
        else
        {
            var opened = await sessions.OpenAsync(http, caller, entry, request, timeout.Token).ConfigureAwait(false);
            if (opened.Link is not { } link)
            {
                if (opened.Busy is { } busy)
                {
                    http.Response.Headers.RetryAfter = McpResults.RetryAfterSeconds(busy.RetryAfter?.ToTimeSpan() ?? TimeSpan.FromSeconds(1));
                    return await ErrorAsync(http, request, StatusCodes.Status429TooManyRequests, JsonRpcErrorCodes.Busy, $"'{entry.Name}' has no free session slot; retry later.", "busy").ConfigureAwait(false);
                }

                http.Response.Headers.RetryAfter = "1";
                return await ErrorAsync(http, request, StatusCodes.Status503ServiceUnavailable, JsonRpcErrorCodes.StartFailed, $"'{entry.Name}' could not serve the request now ({opened.Problem}); retry shortly.", "session_unavailable").ConfigureAwait(false);
            }

            if (request.Method == "server/discover")
            {
                await link.CloseAsync("discovered", CancellationToken.None).ConfigureAwait(false);
                var discover = StatelessResults.Discover(JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = request.Id?.DeepClone(), ["result"] = opened.InitializeResult!.DeepClone() }), options.Value);
                await McpResults.JsonAsync(http, StatusCodes.Status200OK, discover).ConfigureAwait(false);
                return new RelayOutcome(StatusCodes.Status200OK, "ok", discover.Length, discover);
            }

            var message = request.ForSession(UpstreamId);
            var envelope = JsonRpcEnvelope.Parse(message);
            var pending = link.Expect(Encoding.UTF8.GetBytes("\"" + UpstreamId + "\""), JsonRpcEnvelope.IsPresent(envelope.MetaProgressToken) ? message.AsSpan()[envelope.MetaProgressToken] : default);
            call = new BridgedCall(link, pending, request.Method, request.Name);
            outgoing = [message];
        }

        return await RunAsync(http, caller, entry, request, call, outgoing, timeout).ConfigureAwait(false);
    }

    /// <summary>Reads the upstream call until its result or a question for the client (answered input_required).</summary>
    private async Task<RelayOutcome> RunAsync(HttpContext http, Caller caller, CatalogServer entry, StatelessRequest request, BridgedCall call, List<byte[]> outgoing, CancellationTokenSource timeout)
    {
        var stream = new PostStream(http, StatelessRevision.Version, mcp.Value.SseRetry);
        try
        {
            // The request itself, or a retry's answers (the responses to the requests the process is waiting on).
            foreach (var message in outgoing)
            {
                await call.Link.SendAsync(message, timeout.Token).ConfigureAwait(false);
            }

            // Questions the client left unanswered are asked again before anything else.
            if (call.HasOutstanding)
            {
                return await AskAsync(http, stream, caller, request, call).ConfigureAwait(false);
            }

            await foreach (var item in call.Pending.Messages.Reader.ReadAllAsync(timeout.Token).ConfigureAwait(false))
            {
                if (item.IsResponse)
                {
                    await call.CloseAsync("completed").ConfigureAwait(false);
                    var filter = request.Method == "tools/list" ? ToolListFilter.For(policy, caller, entry.Name) : null;
                    var response = StatelessResults.Complete(StatelessResults.WithId(filter is null ? item.Message : filter(item.Message), request.Id), request.Method, options.Value);
                    await stream.ResponseAsync(response).ConfigureAwait(false);
                    return new RelayOutcome(StatusCodes.Status200OK, JsonRpcEnvelope.Parse(response.Span).IsError ? "error" : "ok", response.Length, response);
                }

                if (JsonNode.Parse(item.Message.Span) is JsonObject message && message["id"] is not null && message["method"] is not null)
                {
                    if (ServerRequests.Refusal(message, request.Meta) is { } refusal)
                    {
                        await call.Link.SendAsync(refusal, timeout.Token).ConfigureAwait(false);
                        continue;
                    }

                    call.Ask(message);
                    return await AskAsync(http, stream, caller, request, call).ConfigureAwait(false);
                }

                await stream.RelatedAsync(item.Message).ConfigureAwait(false);
            }

            await call.CloseAsync("ended").ConfigureAwait(false);
            return await FailAsync(stream, request, JsonRpcErrorCodes.ProcessExited, "The server's process ended before it answered; send the request again.", "session_ended").ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The client closing its request cancels it (the revision's only cancellation); so does the timeout.
            await call.CloseAsync("cancelled").ConfigureAwait(false);
            return http.RequestAborted.IsCancellationRequested
                ? new RelayOutcome(499, "cancelled", 0, null)
                : await FailAsync(stream, request, JsonRpcErrorCodes.Timeout, "The request ran past the gateway's request timeout.", "timeout").ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Grpc.Core.RpcException or InvalidOperationException)
        {
            // RpcException: the stream broke; InvalidOperationException: it was already closed (the process ended while the call waited).
            StatelessLog.BridgeFailed(logger, entry.Name, request.Method, ex.Message);
            await call.CloseAsync("broken").ConfigureAwait(false);
            return await FailAsync(stream, request, JsonRpcErrorCodes.ProcessExited, "The connection to the server's process broke; send the request again.", "session_ended").ConfigureAwait(false);
        }
    }

    /// <summary>Parks the call and answers the client with its outstanding questions and the state to come back with.</summary>
    private async Task<RelayOutcome> AskAsync(HttpContext http, PostStream stream, Caller caller, StatelessRequest request, BridgedCall call)
    {
        var inputRequests = call.InputRequests();
        StatelessLog.InputRequired(logger, call.Link.Server, request.Method, string.Join(", ", inputRequests.Select(r => (string?)r.Value!["method"])));
        var state = states.Protect(await parked.ParkAsync(call, http.RequestAborted).ConfigureAwait(false), caller.PrincipalId, request.Method, request.Name, options.Value.InputTimeout);
        var body = StatelessResults.InputRequired(request.Id, inputRequests, state);
        await stream.ResponseAsync(body).ConfigureAwait(false);
        return new RelayOutcome(StatusCodes.Status200OK, "input_required", body.Length, body);
    }

    private static async Task<RelayOutcome> FailAsync(PostStream stream, StatelessRequest request, int code, string message, string reason)
    {
        var body = StatelessResults.Error(request.Id, code, message);
        await stream.ResponseAsync(body).ConfigureAwait(false);
        return new RelayOutcome(StatusCodes.Status200OK, reason, body.Length, null);
    }

    private static async Task<RelayOutcome> ErrorAsync(HttpContext http, StatelessRequest request, int status, int code, string message, string reason)
    {
        await StatelessResults.ErrorAsync(http, status, request.Id, code, message).ConfigureAwait(false);
        return new RelayOutcome(status, reason, 0, null);
    }
}
