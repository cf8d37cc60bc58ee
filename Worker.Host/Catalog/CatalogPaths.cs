using McpPlatform.Worker.Host.Pool;

namespace McpPlatform.Worker.Host.Catalog;

/// <summary>
/// The host paths substituted in catalog Args and Env: <c>{repo}</c> (the repository root) and <c>{npm}</c> (the
/// folder the npm MCP servers are installed into once, <c>Worker:NpmCache</c>).
/// </summary>
internal sealed record CatalogPaths(string Repo, string NpmCache)
{
    /// <summary>The default npm cache below the repository: what <c>Worker.Host/NpmServers/install.sh</c> fills at build time.</summary>
    public const string DefaultNpmCache = "{repo}/.tools/npm-servers";

    public static CatalogPaths Resolve(WorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var repo = RepoLocator.Resolve(options.RepoRoot);
        var npm = string.IsNullOrWhiteSpace(options.NpmCache) ? DefaultNpmCache : options.NpmCache;
        return new CatalogPaths(repo, Path.GetFullPath(npm.Replace("{repo}", repo, StringComparison.Ordinal)));
    }

    /// <summary>Substitutes <c>{repo}</c> and <c>{npm}</c>; the per-process placeholders are the caller's.</summary>
    public string Expand(string value) => value
        .Replace("{repo}", Repo, StringComparison.Ordinal)
        .Replace("{npm}", NpmCache, StringComparison.Ordinal);
}
