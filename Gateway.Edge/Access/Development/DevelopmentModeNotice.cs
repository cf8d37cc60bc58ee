namespace McpPlatform.Gateway.Edge.Access.Development;

/// <summary>Says once, at start, that the gateway runs without Access.Api.</summary>
internal sealed partial class DevelopmentModeNotice(ILogger<DevelopmentModeNotice> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogDevelopmentMode(logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(1, LogLevel.Warning, "Access: development mode (Gateway:Access:Mode, or no Access.Api address): only Gateway:DevelopmentApiKey is accepted, without limits, and usage is not recorded")]
    private static partial void LogDevelopmentMode(ILogger logger);
}
