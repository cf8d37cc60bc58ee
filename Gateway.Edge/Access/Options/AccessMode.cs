namespace McpPlatform.Gateway.Edge.Access.Options;

/// <summary>Which access layer the gateway runs (<c>Gateway:Access:Mode</c>).</summary>
public enum AccessMode
{
    /// <summary>Access.Api when its gRPC address is configured, otherwise Development (with a warning at start). The default.</summary>
    Auto,

    /// <summary>Keys validated by Access.Api, limits and quotas enforced, usage recorded.</summary>
    AccessApi,

    /// <summary>
    /// No Access.Api: only <c>Gateway:DevelopmentApiKey</c> is accepted (an unlimited caller), anonymous servers as
    /// configured, usage dropped. For running the gateway alone (tests of other layers, local experiments).
    /// </summary>
    Development,
}
