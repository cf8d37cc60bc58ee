namespace McpPlatform.ServiceDefaults.Discovery;

/// <summary>Rewrites logical service hosts to concrete addresses, round robin over the replicas.</summary>
internal sealed class ServiceEndpointHandler(ServiceEndpointResolver resolver) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { IsAbsoluteUri: true } uri && TryResolve(uri, out var resolved))
        {
            request.RequestUri = resolved;
        }
        return base.SendAsync(request, cancellationToken);
    }

    private bool TryResolve(Uri uri, out Uri resolved)
    {
        resolved = uri;
        var host = uri.Host;
        var endpoint = "http";
        if (host.StartsWith('_') && host.IndexOf('.', StringComparison.Ordinal) is var dot and > 1)
        {
            endpoint = host[1..dot];
            host = host[(dot + 1)..];
        }
        if (host.Contains('.', StringComparison.Ordinal) || uri.HostNameType != UriHostNameType.Dns)
        {
            return false;
        }
        if (resolver.Next(host, endpoint) is not { } address)
        {
            return false;
        }
        resolved = new UriBuilder(uri)
        {
            Scheme = address.Scheme,
            Host = address.Host,
            Port = address.Port,
        }.Uri;
        return true;
    }
}
