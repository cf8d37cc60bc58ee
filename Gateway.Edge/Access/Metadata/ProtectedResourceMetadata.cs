using System.Text.Json.Serialization;

namespace McpPlatform.Gateway.Edge.Access.Metadata;

/// <summary>An RFC 9728 protected-resource metadata document (the members the gateway fills in).</summary>
internal sealed record ProtectedResourceMetadata(
    [property: JsonPropertyName("resource")] string Resource,
    [property: JsonPropertyName("authorization_servers")] IReadOnlyList<string> AuthorizationServers,
    [property: JsonPropertyName("scopes_supported")] IReadOnlyList<string> ScopesSupported,
    [property: JsonPropertyName("bearer_methods_supported")] IReadOnlyList<string> BearerMethodsSupported,
    [property: JsonPropertyName("resource_name")] string ResourceName);

[JsonSerializable(typeof(ProtectedResourceMetadata))]
internal sealed partial class MetadataJsonContext : JsonSerializerContext;
