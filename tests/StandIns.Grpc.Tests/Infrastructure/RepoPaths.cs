namespace McpPlatform.StandIns.Grpc.Tests.Infrastructure;

/// <summary>Finds files of this test project in the source tree (the Node peer runs from there).</summary>
public static class RepoPaths
{
    public static string TestProjectDirectory { get; } = Find();

    public static string NodeDirectory => Path.Combine(TestProjectDirectory, "node");

    private static string Find()
    {
        var root = Environment.GetEnvironmentVariable("MCPPLATFORM_REPO_ROOT");
        if (!string.IsNullOrEmpty(root))
        {
            return Path.Combine(root, "tests", "StandIns.Grpc.Tests");
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "StandIns.Grpc.Tests");
            if (Directory.Exists(Path.Combine(candidate, "node")))
            {
                return candidate;
            }

            if (File.Exists(Path.Combine(dir.FullName, "StandIns.Grpc.Tests.csproj")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("tests/StandIns.Grpc.Tests not found above " + AppContext.BaseDirectory);
    }
}
