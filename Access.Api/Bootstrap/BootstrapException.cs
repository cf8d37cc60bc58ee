namespace McpPlatform.Access.Api.Bootstrap;

/// <summary>The bootstrap settings cannot be honoured (for example a malformed Bootstrap:ApiKey).</summary>
internal sealed class BootstrapException(string message) : Exception(message);
