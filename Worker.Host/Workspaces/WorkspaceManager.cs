using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using McpPlatform.Worker.Host.Catalog;
using Microsoft.Extensions.Options;

namespace McpPlatform.Worker.Host.Workspaces;

/// <summary>
/// Workspace directories under one root. Paths are built only from the catalog and from ids the platform
/// issued (tenant, session), never from client input; ids that are not plain names are hashed, so no id can
/// climb out of the root. Layout: <c>shared/{server}/slot-{n}</c>, <c>tenants/{tenant}/{server}</c>,
/// <c>tenants/{tenant}/sessions/{server}-{hash(session)}</c>.
/// </summary>
internal sealed partial class WorkspaceManager
{
    private readonly ConcurrentDictionary<string, int> _inUse = new(StringComparer.Ordinal);

    public WorkspaceManager(IOptions<WorkerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Root = Path.GetFullPath(string.IsNullOrWhiteSpace(options.Value.WorkspaceRoot)
            ? Path.Combine(Path.GetTempPath(), "mcp-platform-workspaces")
            : options.Value.WorkspaceRoot);
    }

    public string Root { get; }

    /// <summary>The directory for a slot's next process, created if needed and marked in use.</summary>
    public string Resolve(ServerDefinition server, int slot, string? tenant, string? sessionId)
    {
        ArgumentNullException.ThrowIfNull(server);
        var path = (tenant, sessionId) switch
        {
            (null, _) => Path.Combine(Root, "shared", server.Name, $"slot-{slot}"),
            ({ } t, null) => Path.Combine(Root, "tenants", Segment(t), server.Name),
            ({ } t, { } s) => Path.Combine(Root, "tenants", Segment(t), "sessions", $"{server.Name}-{Hash(s)[..24]}"),
        };
        Directory.CreateDirectory(path);
        _inUse.AddOrUpdate(path, 1, (_, n) => n + 1);
        return path;
    }

    public void Release(string path)
    {
        if (_inUse.AddOrUpdate(path, 0, (_, n) => n - 1) <= 0)
        {
            _inUse.TryRemove(path, out _);
        }
    }

    public bool IsInUse(string path) => _inUse.ContainsKey(path);

    /// <summary>A directory-name form of an id: itself when it is a plain name, else a hash.</summary>
    public static string Segment(string id) => PlainName().IsMatch(id) ? id : "h-" + Hash(id)[..32];

    private static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainName();
}
