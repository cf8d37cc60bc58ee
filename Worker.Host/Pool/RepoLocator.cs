namespace McpPlatform.Worker.Host.Pool;

/// <summary>Finds the repository root for <c>{repo}</c> in catalog args: configured, or the folder holding McpPlatform.sln above the app.</summary>
internal static class RepoLocator
{
    public static string Resolve(string configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "McpPlatform.sln")))
            {
                return dir.FullName;
            }
        }

        return Environment.CurrentDirectory;
    }
}
