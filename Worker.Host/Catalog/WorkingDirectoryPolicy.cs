namespace McpPlatform.Worker.Host.Catalog;

/// <summary>Where a server process starts.</summary>
public enum WorkingDirectoryPolicy
{
    /// <summary>Its workspace directory (per slot when shared, per tenant, or per session); the default.</summary>
    Workspace,

    /// <summary>The fixed <see cref="ServerDefinition.WorkingDirectory"/> from configuration (never from a client).</summary>
    Fixed,

    /// <summary>The Worker.Host's own working directory.</summary>
    Inherit,
}
