using McpPlatform.Worker.Host.Catalog;
using McpPlatform.Worker.Host.Pool;
using Microsoft.Extensions.Options;

namespace McpPlatform.Worker.Host.Workspaces;

/// <summary>
/// Seed 000's cron, as a background loop: deletes unused workspaces older than WorkspaceMaxAge, then the
/// oldest unused ones until the total fits WorkspaceMaxTotalMb, and publishes the total as a metric.
/// </summary>
internal sealed partial class WorkspaceCleaner(
    WorkspaceManager workspaces, IOptions<WorkerOptions> options, TimeProvider timeProvider, PoolMetrics metrics, ILogger<WorkspaceCleaner> logger)
    : BackgroundService
{
    private long _totalBytes;

    public long TotalBytes => Interlocked.Read(ref _totalBytes);

    /// <summary>One pass; returns the directories deleted.</summary>
    public int CleanOnce()
    {
        var units = Enumerate().Select(Measure).OrderBy(u => u.LastWrite).ToList();
        var now = timeProvider.GetUtcNow();
        var total = units.Sum(u => u.Bytes);
        var limit = options.Value.WorkspaceMaxTotalMb * 1024 * 1024;
        var deleted = 0;
        foreach (var unit in units)
        {
            var tooOld = now - unit.LastWrite > options.Value.WorkspaceMaxAge;
            if ((tooOld || total > limit) && !workspaces.IsInUse(unit.Path) && TryDelete(unit.Path))
            {
                total -= unit.Bytes;
                deleted++;
            }
        }

        Interlocked.Exchange(ref _totalBytes, total);
        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        metrics.ObserveWorkspaceBytes(() => TotalBytes);
        using var timer = new PeriodicTimer(options.Value.WorkspaceCleanupInterval, timeProvider);
        try
        {
            do
            {
                var deleted = CleanOnce();
                if (deleted > 0)
                {
                    Cleaned(logger, deleted, TotalBytes);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private IEnumerable<string> Enumerate()
    {
        var root = workspaces.Root;
        IEnumerable<string> Children(string path) => Directory.Exists(path) ? Directory.EnumerateDirectories(path) : [];

        foreach (var server in Children(Path.Combine(root, "shared")))
        {
            foreach (var slot in Children(server))
            {
                yield return slot;
            }
        }

        foreach (var tenant in Children(Path.Combine(root, "tenants")))
        {
            foreach (var child in Children(tenant))
            {
                if (Path.GetFileName(child) == "sessions")
                {
                    foreach (var session in Children(child))
                    {
                        yield return session;
                    }
                }
                else
                {
                    yield return child;
                }
            }
        }
    }

    private static (string Path, long Bytes, DateTimeOffset LastWrite) Measure(string path)
    {
        long bytes = 0;
        var last = Directory.GetLastWriteTimeUtc(path);
        foreach (var file in new DirectoryInfo(path).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
        {
            bytes += file.Length;
            if (file.LastWriteTimeUtc > last)
            {
                last = file.LastWriteTimeUtc;
            }
        }

        return (path, bytes, new DateTimeOffset(last, TimeSpan.Zero));
    }

    private bool TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DeleteFailed(logger, path, e.Message);
            return false;
        }
    }

    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "Workspace cleaner deleted {Count} directories; {TotalBytes} bytes remain")]
    private static partial void Cleaned(ILogger logger, int count, long totalBytes);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Workspace cleaner could not delete {Path}: {Error}")]
    private static partial void DeleteFailed(ILogger logger, string path, string error);
}
