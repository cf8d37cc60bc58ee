using McpPlatform.Gateway.Edge.Health;
using McpPlatform.Gateway.Edge.LoadBalancing;
using McpPlatform.Gateway.Edge.Metrics;
using McpPlatform.Gateway.Edge.Routing;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Forwarder;

/// <summary>
/// The request delegate of every edge route: picks a replica, forwards, and turns a failure into
/// a deliberate answer (a ProblemDetails 502/503/504, or silence for a client that left).
/// </summary>
internal sealed partial class EdgeRequestHandler(
    IHttpForwarder forwarder,
    IClusterRegistry clusters,
    IOptions<ForwarderOptions> forwarderOptions,
    IOptions<HealthOptions> healthOptions,
    EdgeMetrics metrics,
    IProblemDetailsService problems,
    ILogger<EdgeRequestHandler> logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        // 1. The route this endpoint was built from, and its service's replicas.
        var route = context.GetEndpoint()?.Metadata.GetMetadata<EdgeRoute>()
                    ?? throw new InvalidOperationException("An edge endpoint without its EdgeRoute metadata.");
        var cluster = clusters.Get(route.Service, route.Endpoint);
        var timeout = route.ActivityTimeout ?? forwarderOptions.Value.ActivityTimeout;
        var passive = healthOptions.Value.Passive;

        // A declared length over the limit is refused before any upstream hears of the request.
        if (context.Request.ContentLength is { } length
            && context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is { } limit && length > limit)
        {
            var tooLarge = new ForwarderResult(ForwarderError.RequestBodyClient, new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge), null, TimeSpan.Zero);
            context.Features.Set<IForwarderErrorFeature>(new ForwarderErrorFeature(tooLarge.Error, tooLarge.Exception));
            LogBodyTooLarge(logger, route.Id, length, limit);
            await WriteProblemAsync(context, route, cluster, tooLarge, timeout);
            return;
        }

        // 2. Round robin over the available replicas. A connect failure sent nothing (not even a body
        //    byte), so the same request may go to the next replica; any other failure is final.
        ForwarderResult result = default;
        DestinationState? destination = null;
        List<DestinationState>? tried = null;
        while (cluster.Pick(passive.ReactivationPeriod, tried) is { } next)
        {
            destination = next;
            result = await forwarder.SendAsync(context, next.Address, timeout, context.RequestAborted);
            metrics.Forwarded(route, next, result);
            if (result.Error != ForwarderError.ConnectFailed)
            {
                next.ReportReachable();
                break;
            }
            LogConnectFailed(logger, route.Id, route.Service, next.Address.ToString(), result.Exception?.Message ?? "no detail");
            if (passive.Enabled && next.ReportConnectFailure(passive.ConsecutiveFailures))
            {
                LogPassivelyUnhealthy(logger, route.Service, next.Address.ToString(), passive.ConsecutiveFailures, passive.ReactivationPeriod.TotalSeconds);
            }
            (tried ??= []).Add(next);
        }
        if (destination is null)
        {
            result = new ForwarderResult(ForwarderError.NoAvailableDestinations, null, null, TimeSpan.Zero);
        }
        if (result.Error == ForwarderError.None)
        {
            return;
        }

        // 3. Name the failure where middleware and logs can see it.
        context.Features.Set<IForwarderErrorFeature>(new ForwarderErrorFeature(result.Error, result.Exception));
        var upstream = destination?.Address.ToString() ?? "none";
        if (result.Error == ForwarderError.NoAvailableDestinations)
        {
            LogNoDestination(logger, route.Id, route.Service, cluster.Destinations.Count);
        }
        else if (result.Error.IsClientSide())
        {
            LogClientGone(logger, route.Id, route.Service, upstream, result.Error);
        }
        else
        {
            LogForwardFailed(logger, route.Id, route.Service, upstream, result.Error, result.Exception);
        }

        // 4. Answer it: a client that left gets nothing; a response already under way cannot change its
        //    status, so the connection is aborted (a truncated body must not look complete); otherwise a problem.
        if (result.Error is ForwarderError.RequestCanceled or ForwarderError.ResponseBodyClient)
        {
            return;
        }
        if (context.Response.HasStarted)
        {
            context.Abort();
            return;
        }
        await WriteProblemAsync(context, route, cluster, result, timeout);
    }

    private async Task WriteProblemAsync(HttpContext context, EdgeRoute route, ServiceCluster cluster, ForwarderResult result, TimeSpan timeout)
    {
        var service = route.Service;
        var (status, title, detail) = result.Error switch
        {
            ForwarderError.NoAvailableDestinations when cluster.Destinations.Count == 0 =>
                (503, "Service unavailable", $"The {service} service is not available on this gateway. Retry later or contact the operator."),
            ForwarderError.NoAvailableDestinations =>
                (503, "Service unavailable", $"No replica of the {service} service is healthy right now ({cluster.Destinations.Count} configured). Retry in a few seconds."),
            ForwarderError.ConnectFailed =>
                (502, "Bad gateway", $"The {service} service could not be reached. Retry in a few seconds."),
            ForwarderError.RequestTimedOut =>
                (504, "Gateway timeout", $"The {service} service sent nothing for {HttpForwarder.Seconds(timeout)} s. Retry, or ask for less at once."),
            ForwarderError.RequestBodyDestination =>
                (502, "Bad gateway", $"The {service} service stopped reading the request body. Retry in a few seconds."),
            ForwarderError.RequestBodyClient when FindBadRequest(result.Exception) is { StatusCode: 413 } =>
                (413, "Request body too large", "The request body is larger than this gateway accepts. Send a smaller body."),
            ForwarderError.RequestBodyClient =>
                (400, "Bad request", "The request body could not be read to its end. Send it again."),
            _ =>
                (502, "Bad gateway", $"The {service} service closed the connection or answered invalidly. Retry in a few seconds."),
        };
        context.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        problem.Extensions["service"] = service;
        problem.Extensions["error"] = result.Error.ToString();
        await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    private static BadHttpRequestException? FindBadRequest(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is BadHttpRequestException bad)
            {
                return bad;
            }
        }
        return null;
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Warning, Message = "Route {RouteId}: could not connect to {Service} replica {Upstream}: {Reason}")]
    private static partial void LogConnectFailed(ILogger logger, string routeId, string service, string upstream, string reason);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Upstream {Service} replica {Upstream} failed {Failures} connects in a row; no traffic for up to {ReactivationSeconds} s or until a probe succeeds")]
    private static partial void LogPassivelyUnhealthy(ILogger logger, string service, string upstream, int failures, double reactivationSeconds);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Route {RouteId}: forwarding to {Service} replica {Upstream} failed: {ForwarderError}")]
    private static partial void LogForwardFailed(ILogger logger, string routeId, string service, string upstream, ForwarderError forwarderError, Exception? exception);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Route {RouteId}: refused a {ContentLength}-byte request body (limit {Limit} bytes)")]
    private static partial void LogBodyTooLarge(ILogger logger, string routeId, long contentLength, long limit);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Route {RouteId}: no available replica of {Service} ({ReplicaCount} configured); answered 503")]
    private static partial void LogNoDestination(ILogger logger, string routeId, string service, int replicaCount);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "Route {RouteId}: the client left during forwarding to {Service} replica {Upstream}: {ForwarderError}")]
    private static partial void LogClientGone(ILogger logger, string routeId, string service, string upstream, ForwarderError forwarderError);
}
