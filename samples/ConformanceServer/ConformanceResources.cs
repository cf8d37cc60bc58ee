using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpPlatform.ConformanceServer;

/// <summary>The conformance suite's resource fixtures, the template and subscriptions.</summary>
internal static partial class ConformanceResources
{
    private const string WatchedUri = "test://watched-resource";

    private static readonly ConcurrentDictionary<string, byte> Subscriptions = new(StringComparer.Ordinal);

    private static readonly List<Resource> Resources =
    [
        new() { Uri = "test://static-text", Name = "static-text", Description = "A static text resource.", MimeType = "text/plain" },
        new() { Uri = "test://static-binary", Name = "static-binary", Description = "A static binary (PNG) resource.", MimeType = "image/png" },
        new() { Uri = WatchedUri, Name = "watched-resource", Description = "A resource that can be subscribed to.", MimeType = "text/plain" },
    ];

    private static readonly List<ResourceTemplate> Templates =
    [
        new() { UriTemplate = "test://template/{id}/data", Name = "template-data", Description = "Data for the given id.", MimeType = "application/json" },
    ];

    public static ValueTask<ListResourcesResult> ListAsync(RequestContext<ListResourcesRequestParams> request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new ListResourcesResult { Resources = Resources });

    public static ValueTask<ListResourceTemplatesResult> ListTemplatesAsync(
        RequestContext<ListResourceTemplatesRequestParams> request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new ListResourceTemplatesResult { ResourceTemplates = Templates });

    public static ValueTask<ReadResourceResult> ReadAsync(RequestContext<ReadResourceRequestParams> request, CancellationToken cancellationToken)
    {
        var uri = request.Params?.Uri ?? string.Empty;
        ResourceContents contents = uri switch
        {
            "test://static-text" => new TextResourceContents { Uri = uri, MimeType = "text/plain", Text = "This is the content of the static text resource." },
            "test://static-binary" => new BlobResourceContents { Uri = uri, MimeType = "image/png", Blob = ConformanceTools.Utf8(Fixtures.PngBase64) },
            WatchedUri => new TextResourceContents { Uri = uri, MimeType = "text/plain", Text = "Watched resource content." },
            _ when TemplateUri().Match(uri) is { Success: true } m => new TextResourceContents
            {
                Uri = uri,
                MimeType = "application/json",
                Text = new JsonObject { ["id"] = m.Groups[1].Value, ["templateTest"] = true, ["data"] = $"Data for ID: {m.Groups[1].Value}" }.ToJsonString(),
            },
            _ => throw NotFound(uri),
        };
        return ValueTask.FromResult(new ReadResourceResult { Contents = [contents] });
    }

    public static ValueTask<EmptyResult> SubscribeAsync(RequestContext<SubscribeRequestParams> request, CancellationToken cancellationToken)
    {
        Subscriptions.TryAdd(request.Params?.Uri ?? string.Empty, 0);
        return ValueTask.FromResult(new EmptyResult());
    }

    public static ValueTask<EmptyResult> UnsubscribeAsync(RequestContext<UnsubscribeRequestParams> request, CancellationToken cancellationToken)
    {
        Subscriptions.TryRemove(request.Params?.Uri ?? string.Empty, out _);
        return ValueTask.FromResult(new EmptyResult());
    }

    private static McpProtocolException NotFound(string uri)
    {
        var error = new McpProtocolException("Resource not found", McpErrorCode.InvalidParams);
        error.Data["uri"] = uri;
        return error;
    }

    [GeneratedRegex("^test://template/([^/]+)/data$", RegexOptions.CultureInvariant)]
    private static partial Regex TemplateUri();
}
