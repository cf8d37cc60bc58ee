namespace McpPlatform.Hosting.Orchestration;

/// <summary>
/// The folder that keeps data directories, generated passwords and logs across runs, locked while
/// an orchestrator uses it so two AppHosts never share one PostgreSQL data directory.
/// </summary>
internal sealed class StateDirectory : IDisposable
{
    private readonly FileStream _lock;

    private StateDirectory(FileStream lockFile) => _lock = lockFile;

    public static StateDirectory Open(string path, bool fresh)
    {
        Directory.CreateDirectory(path);
        var lockPath = Path.Combine(path, "apphost.lock");
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new DistributedApplicationException(
                $"Another AppHost is using {path}. Stop it, or give this one its own folder with --state-dir.");
        }
        if (fresh)
        {
            foreach (var entry in new DirectoryInfo(path).EnumerateFileSystemInfos())
            {
                if (entry.FullName == lockPath)
                {
                    continue;
                }
                if (entry is DirectoryInfo directory)
                {
                    directory.Delete(recursive: true);
                }
                else
                {
                    entry.Delete();
                }
            }
        }
        return new StateDirectory(lockFile);
    }

    public void Dispose() => _lock.Dispose();
}
