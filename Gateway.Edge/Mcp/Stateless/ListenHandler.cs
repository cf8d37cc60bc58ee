using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlatform.Contracts.Dispatch.V1;
using McpPlatform.Gateway.Edge.Mcp.Sse;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Mcp.Stateless;

/// <summary>
/// <c>subscriptions/listen</c>: an SSE reply that stays open. 1. <c>notifications/subscriptions/acknowledged</c> with
/// the part of the filter the gateway honours (the three list kinds; <c>resourceSubscriptions</c> is left out: a
/// shared upstream process has no per-client subscriptions); 2. each list change of the server the caller opted in
/// to, tagged with the subscription id; a keepalive comment after each idle interval; 3. when the gateway stops, the
/// graceful end (the request's result), else the end is the client closing the stream. No event ids: no resumption.
/// </summary>
internal sealed class ListenHandler(ListChangedFeed feed, IOptions<McpOptions> options, IHostApplicationLifetime lifetime)
{
    private static readonly (string Filter, string ListMethod, string Notification)[] Kinds =
    [
        ("toolsListChanged", "tools/list", "notifications/tools/list_changed"),
        ("promptsListChanged", "prompts/list", "notifications/prompts/list_changed"),
        ("resourcesListChanged", "resources/list", "notifications/resources/list_changed"),
    ];

    public async Task HandleAsync(HttpContext http, CatalogServer server, StatelessRequest request)
    {
        var wanted = request.Params?["notifications"] as JsonObject;
        var honoured = new JsonObject();
        var methods = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (filter, listMethod, notification) in Kinds)
        {
            if (wanted?[filter] is JsonValue value && value.GetValueKind() == JsonValueKind.True)
            {
                honoured[filter] = true;
                methods[listMethod] = notification;
            }
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var ct = stop.Token;
        using var listener = await feed.ListenAsync(server.Name, ct).ConfigureAwait(false);
        var sse = new SseWriter(http.Response);
        try
        {
            await sse.StartAsync(ct).ConfigureAwait(false);
            await WriteAsync(sse, Notification(request, "notifications/subscriptions/acknowledged", new JsonObject { ["notifications"] = honoured }), ct).ConfigureAwait(false);
            while (!ct.IsCancellationRequested)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
                idle.CancelAfter(options.Value.KeepAliveInterval);
                try
                {
                    var changed = await listener.Changes.ReadAsync(idle.Token).ConfigureAwait(false);
                    if (methods.TryGetValue(changed, out var notification))
                    {
                        await WriteAsync(sse, Notification(request, notification, new JsonObject()), ct).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    await sse.WriteKeepAliveAsync(ct).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
        }

        if (lifetime.ApplicationStopping.IsCancellationRequested && !http.RequestAborted.IsCancellationRequested)
        {
            var end = new JsonObject
            {
                ["jsonrpc"] = "2.0",
                ["id"] = request.Id?.DeepClone(),
                ["result"] = new JsonObject { ["resultType"] = "complete", ["_meta"] = SubscriptionMeta(request) },
            };
            await WriteAsync(sse, end, http.RequestAborted).ConfigureAwait(false);
        }
    }

    private static JsonObject Notification(StatelessRequest request, string method, JsonObject parameters)
    {
        parameters["_meta"] = SubscriptionMeta(request);
        return new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters };
    }

    private static JsonObject SubscriptionMeta(StatelessRequest request) => new() { [StatelessRevision.SubscriptionIdKey] = request.Id?.DeepClone() };

    private static async Task WriteAsync(SseWriter sse, JsonObject message, CancellationToken ct)
    {
        try
        {
            await sse.WriteEventAsync(null, JsonSerializer.SerializeToUtf8Bytes(message), null, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
        }
    }
}
