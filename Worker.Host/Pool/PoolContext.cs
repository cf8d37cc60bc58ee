using McpPlatform.Worker.Host.Catalog;
using McpPlatform.Worker.Host.Processes;
using McpPlatform.Worker.Host.Workspaces;
using McpPlatform.Processes;

namespace McpPlatform.Worker.Host.Pool;

/// <summary>What every server pool shares: clock, spawner, loggers, metrics, workspaces.</summary>
internal sealed record PoolContext(
    TimeProvider TimeProvider,
    ProcessLauncher Spawner,
    ILogger Logger,
    ILogger ProcessLogger,
    PoolMetrics Metrics,
    WorkspaceManager Workspaces,
    CatalogPaths Paths);
