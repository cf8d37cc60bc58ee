using System.Reflection;

namespace McpPlatform.Hosting;

/// <summary>
/// AppHost's command line:
/// <c>--fresh</c> (delete the state folder first), <c>--state-dir PATH</c> (default <c>.state/apphost</c>),
/// <c>--state-file PATH</c> (JSON once ready), <c>--no-live</c> (plain lines instead of the live table),
/// <c>--quiet</c> (resource logs only in files); or <c>publish [--output PATH]</c> (write the
/// deployment artifacts, default <c>docker/</c>, and exit).
/// </summary>
internal static class AppHostArguments
{
    public const string Usage =
        "usage: dotnet run --project AppHost [-- [--fresh] [--state-dir PATH] [--state-file PATH] [--no-live] [--quiet]]\n" +
        "       dotnet run --project AppHost -- publish [--output PATH]";

    public static DistributedApplicationOptions Parse(string[] args, Assembly appHostAssembly)
    {
        var repositoryRoot = DistributedApplicationBuilder.FindRepositoryRoot(AppContext.BaseDirectory);
        string? stateDirectory = null, stateFile = null, publish = null;
        bool fresh = false, live = !System.Console.IsOutputRedirected, quiet = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "publish" when i == 0:
                    publish = Path.Combine(repositoryRoot, "docker");
                    break;
                case "--output" when publish is not null && i + 1 < args.Length:
                    publish = Path.GetFullPath(args[++i]);
                    break;
                case "--fresh":
                    fresh = true;
                    break;
                case "--no-live":
                    live = false;
                    break;
                case "--quiet":
                    quiet = true;
                    break;
                case "--state-dir" when i + 1 < args.Length:
                    stateDirectory = Path.GetFullPath(args[++i]);
                    break;
                case "--state-file" when i + 1 < args.Length:
                    stateFile = Path.GetFullPath(args[++i]);
                    break;
                default:
                    throw new DistributedApplicationException($"Unknown or incomplete argument '{args[i]}'.{Environment.NewLine}{Usage}");
            }
        }
        return new DistributedApplicationOptions
        {
            RepositoryRoot = repositoryRoot,
            StateDirectory = stateDirectory ?? Path.Combine(repositoryRoot, ".state", "apphost"),
            StateFile = stateFile,
            PublishDirectory = publish,
            Fresh = fresh,
            Interactive = live,
            ShowResourceLogs = !quiet,
            Configuration = DistributedApplicationBuilder.BuildConfigurationOf(appHostAssembly),
        };
    }
}
