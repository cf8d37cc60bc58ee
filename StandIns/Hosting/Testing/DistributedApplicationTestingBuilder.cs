using System.Reflection;

namespace McpPlatform.Hosting.Testing;

/// <summary>
/// The counterpart of Aspire's DistributedApplicationTestingBuilder: the same model and
/// orchestrator, with a fresh state folder of its own (removed afterwards), random ports, no
/// containers unless asked, logs to the test's output, and a timeout per phase.
/// </summary>
public static class DistributedApplicationTestingBuilder
{
    /// <summary>Creates a builder whose resources run from the projects built with <paramref name="builtWith"/>'s configuration.</summary>
    /// <param name="builtWith">An assembly of the test project (its build configuration is the projects').</param>
    /// <param name="log">Where resource logs and state changes go (for example ITestOutputHelper.WriteLine).</param>
    /// <param name="stateDirectory">A state folder to reuse across starts; a new temporary one when null.</param>
    /// <param name="startupTimeout">Time allowed for each resource to become ready.</param>
    public static DistributedApplicationBuilder Create(
        Assembly builtWith,
        Action<string>? log = null,
        string? stateDirectory = null,
        TimeSpan? startupTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(builtWith);
        return new DistributedApplicationBuilder(new DistributedApplicationOptions
        {
            RepositoryRoot = DistributedApplicationBuilder.FindRepositoryRoot(AppContext.BaseDirectory),
            StateDirectory = stateDirectory ?? NewStateDirectory(),
            Interactive = false,
            LogSink = log ?? (_ => { }),
            Configuration = DistributedApplicationBuilder.BuildConfigurationOf(builtWith),
            StartupTimeout = startupTimeout ?? TimeSpan.FromMinutes(2),
            ShutdownGrace = TimeSpan.FromSeconds(10),
            UseContainers = false,
        });
    }

    /// <summary>A new empty folder under the system's temporary folder, traversable by an unprivileged PostgreSQL.</summary>
    public static string NewStateDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "mcpplatform-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return path;
    }
}
