namespace McpPlatform.ServiceDefaults.Telemetry;

/// <summary>
/// Names of the activity sources and meters the platform listens to. Our own code creates its
/// sources and meters under <see cref="Prefix"/>; the .NET runtime's built-in ones stand in for
/// the OpenTelemetry instrumentation packages that the package feed does not serve.
/// </summary>
public static class PlatformTelemetry
{
    /// <summary>Every McpPlatform activity source and meter name starts with this prefix.</summary>
    public const string Prefix = "McpPlatform";

    internal static readonly string[] ActivitySources =
    [
        "Microsoft.AspNetCore",
        "System.Net.Http",
        "Npgsql",
        Prefix + ".*",
    ];

    internal static readonly string[] Meters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics",
        "Microsoft.AspNetCore.RateLimiting",
        "System.Net.Http",
        "System.Net.NameResolution",
        "System.Runtime",
        "Npgsql",
        Prefix + ".*",
    ];
}
