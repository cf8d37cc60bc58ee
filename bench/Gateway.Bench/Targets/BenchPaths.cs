namespace McpPlatform.Bench.Gateway.Targets;

/// <summary>Where things are: the repository (found from the build output) and the echo server every target wraps.</summary>
public static class BenchPaths
{
    public static string Repository { get; } = FindRepository();

    /// <summary>The Release build of samples/EchoServer (built with the bench through its project reference).</summary>
    public static string EchoServer { get; } = Path.Combine(Repository, "samples", "EchoServer", "bin", Configuration, "net10.0", "EchoServer.dll");

    public static string NodeDirectory { get; } = Path.Combine(Repository, "bench", "Gateway.Bench", "node");

    /// <summary>The configuration the bench was built in, used for the echo server and the platform alike.</summary>
    public static string Configuration =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "McpPlatform.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("McpPlatform.sln not found above " + AppContext.BaseDirectory);
    }
}
