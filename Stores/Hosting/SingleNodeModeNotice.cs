using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace McpPlatform.Stores.Hosting;

/// <summary>Says once, at start, that the stores live in this process only.</summary>
internal sealed partial class SingleNodeModeNotice(ILogger<SingleNodeModeNotice> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogSingleNode(logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(1, LogLevel.Warning, "ConnectionStrings:redis is not set: running in single-node mode (rate limits, sessions, event streams and invalidation live in this process only; do not run more than one replica)")]
    private static partial void LogSingleNode(ILogger logger);
}
