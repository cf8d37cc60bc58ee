using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Mcp.Stateless;

/// <summary>
/// The URL other gateway replicas reach this one at: <see cref="StatelessOptions.ReplicaUrl"/> when set (behind NAT,
/// or in a container whose bound address is a wildcard and whose host name others cannot resolve), else the first
/// address Kestrel bound, plain HTTP preferred, a wildcard host (<c>0.0.0.0</c>, <c>[::]</c>, <c>+</c>, <c>*</c>)
/// replaced by this machine's host name (an ECS task's host name resolves to its private IP in awsvpc mode).
/// </summary>
internal sealed class ReplicaAddress(IServer server, IOptions<StatelessOptions> options)
{
    private Uri? _url;

    public Uri? Url => _url ??= Resolve();

    private Uri? Resolve()
    {
        if (options.Value.ReplicaUrl is { } configured)
        {
            return configured;
        }

        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var chosen = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault();
        if (chosen is null)
        {
            return null;
        }

        var builder = new UriBuilder(chosen.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (builder.Host is "localhost" or "0.0.0.0" or "[::]" or "::" && !chosen.Contains("://localhost", StringComparison.OrdinalIgnoreCase))
        {
            builder.Host = Dns.GetHostName();
        }

        return new Uri(builder.Uri.GetLeftPart(UriPartial.Authority) + "/");
    }
}
