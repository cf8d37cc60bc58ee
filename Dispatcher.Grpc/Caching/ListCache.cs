using System.Collections.Concurrent;
using System.Security.Cryptography;
using McpPlatform.Dispatcher.Grpc.Options;
using McpPlatform.Dispatcher.Grpc.Telemetry;
using Microsoft.Extensions.Options;

namespace McpPlatform.Dispatcher.Grpc.Caching;

/// <summary>
/// First-page answers of tools/list, prompts/list and resources/list per (server, protocol revision, method), kept
/// for ListCacheTtl and dropped when a notifications/{kind}/list_changed of that server is seen (here, or on another
/// replica through the invalidation bus). Only the raw "result" is kept: each hit is answered with its own id.
/// </summary>
internal sealed class ListCache(IOptions<DispatcherOptions> options, TimeProvider time, ILogger<ListCache> logger)
{
    private readonly ConcurrentDictionary<(string Server, string Protocol, string Method), Entry> _entries = new();

    public TimeSpan Ttl => options.Value.ListCacheTtl;

    public static bool IsListMethod(string? method) => method is "tools/list" or "prompts/list" or "resources/list";

    /// <summary>The list method a notification invalidates ("notifications/tools/list_changed" → "tools/list"), or null.</summary>
    public static string? InvalidatedBy(string? notification) => notification switch
    {
        "notifications/tools/list_changed" => "tools/list",
        "notifications/prompts/list_changed" => "prompts/list",
        "notifications/resources/list_changed" => "resources/list",
        _ => null,
    };

    public bool TryGet(string server, string protocol, string method, out byte[] result, out string version)
    {
        if (_entries.TryGetValue((server, protocol, method), out var entry) && entry.ExpiresAt > time.GetTimestamp())
        {
            (result, version) = (entry.Result, entry.Version);
            return true;
        }

        (result, version) = ([], "");
        return false;
    }

    /// <summary>Stores a fresh answer; returns its version (a hash of the result, so it changes when the list does).</summary>
    public string Put(string server, string protocol, string method, byte[] result)
    {
        var version = Convert.ToHexStringLower(SHA256.HashData(result).AsSpan(0, 8));
        if (Ttl > TimeSpan.Zero)
        {
            _entries[(server, protocol, method)] = new Entry(result, version, time.GetTimestamp() + (long)(Ttl.TotalSeconds * time.TimestampFrequency));
        }

        return version;
    }

    /// <summary>Drops <paramref name="method"/>'s entries of <paramref name="server"/> for every protocol revision.</summary>
    public void Drop(string server, string method, string why)
    {
        foreach (var key in _entries.Keys.Where(key => key.Server == server && key.Method == method))
        {
            _entries.TryRemove(key, out _);
        }

        Log.ListCacheDropped(logger, server, method, why);
    }

    private sealed record Entry(byte[] Result, string Version, long ExpiresAt);
}
