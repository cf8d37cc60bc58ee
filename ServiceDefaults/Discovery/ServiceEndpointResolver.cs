using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace McpPlatform.ServiceDefaults.Discovery;

/// <summary>
/// Resolves a service's addresses from Aspire-style settings, <c>services__{service}__{endpoint}__{n}</c>
/// (as configuration: <c>services:{service}:{endpoint}:{n}</c>), the way AppHost, compose and ECS
/// hand them to every service. Several indices mean several replicas.
/// </summary>
public sealed class ServiceEndpointResolver
{
    private readonly IConfiguration _configuration;
    private readonly ConcurrentDictionary<(string Service, string Endpoint), int> _cursors = new();

    // Every HttpClient request with a logical address resolves it: read the configuration once per
    // (service, endpoint) and again only after a reload, not on every request.
    private readonly ConcurrentDictionary<(string Service, string Endpoint), Uri[]> _resolved = new();

    private IChangeToken _reloadToken;

    /// <summary>Creates a resolver over <paramref name="configuration"/>, forgetting what it resolved when it reloads.</summary>
    public ServiceEndpointResolver(IConfiguration configuration)
    {
        _configuration = configuration;
        _reloadToken = configuration.GetReloadToken();
    }

    /// <summary>Every configured address of <paramref name="service"/>'s <paramref name="endpoint"/>, in index order.</summary>
    public IReadOnlyList<Uri> Resolve(string service, string endpoint = "http")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        ArgumentException.ThrowIfNullOrWhiteSpace(endpoint);
        // Checked on read rather than in a reload callback: callbacks run in no promised order, and
        // another reload callback (the edge's cluster refresh) must already see the new addresses.
        if (_reloadToken.HasChanged)
        {
            _reloadToken = _configuration.GetReloadToken();
            _resolved.Clear();
        }
        return _resolved.GetOrAdd((service, endpoint), static (key, configuration) => Read(configuration, key.Service, key.Endpoint), _configuration);
    }

    private static Uri[] Read(IConfiguration configuration, string service, string endpoint)
    {
        var section = configuration.GetSection("services").GetSection(service).GetSection(endpoint);
        var addresses = new List<(int Index, Uri Address)>();
        foreach (var child in section.GetChildren())
        {
            if (int.TryParse(child.Key, out var index) && Uri.TryCreate(child.Value, UriKind.Absolute, out var address))
            {
                addresses.Add((index, address));
            }
        }
        if (addresses.Count == 0 && Uri.TryCreate(section.Value, UriKind.Absolute, out var single))
        {
            addresses.Add((0, single));
        }
        return addresses.OrderBy(a => a.Index).Select(a => a.Address).ToArray();
    }

    /// <summary>Like <see cref="Resolve"/>, but fails with a message naming the missing setting.</summary>
    public IReadOnlyList<Uri> ResolveRequired(string service, string endpoint = "http")
    {
        var addresses = Resolve(service, endpoint);
        return addresses.Count > 0
            ? addresses
            : throw new InvalidOperationException(
                $"No address for service '{service}' endpoint '{endpoint}'. Set services__{service}__{endpoint}__0 " +
                "(AppHost sets it for every WithReference), e.g. services__" + service + "__" + endpoint + "__0=http://127.0.0.1:5000.");
    }

    /// <summary>The next address in round-robin order, or null when none is configured.</summary>
    public Uri? Next(string service, string endpoint = "http")
    {
        var addresses = Resolve(service, endpoint);
        if (addresses.Count == 0)
        {
            return null;
        }
        var cursor = _cursors.AddOrUpdate((service, endpoint), 0, (_, current) => unchecked(current + 1));
        return addresses[(int)((uint)cursor % (uint)addresses.Count)];
    }
}
