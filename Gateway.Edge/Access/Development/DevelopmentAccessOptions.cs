namespace McpPlatform.Gateway.Edge.Access.Development;

/// <summary>
/// Section <c>Gateway</c>:
/// <code>
/// "Gateway": { "DevelopmentApiKey": "sk_test_…", "AnonymousServers": [ "conformance" ] }
/// </code>
/// </summary>
public sealed class DevelopmentAccessOptions
{
    public const string SectionName = "Gateway";

    /// <summary>The key AppHost creates; empty: no development key.</summary>
    public string? DevelopmentApiKey { get; set; }

    /// <summary>Servers callable without credentials (default none).</summary>
    public List<string> AnonymousServers { get; set; } = [];
}
