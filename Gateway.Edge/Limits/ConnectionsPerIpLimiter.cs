using System.Net;
using McpPlatform.Gateway.Edge.Metrics;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Limits;

/// <summary>
/// Connection middleware (runs at accept, before TLS and HTTP): a client IP over its limit has
/// its new connection closed at once, so one client cannot hold every socket of the edge.
/// </summary>
internal sealed partial class ConnectionsPerIpLimiter(IOptions<LimitsOptions> options, EdgeMetrics metrics, ILogger<ConnectionsPerIpLimiter> logger)
{
    private readonly Dictionary<IPAddress, int> _open = [];

    public ConnectionDelegate Wrap(ConnectionDelegate next)
    {
        var limit = options.Value.MaxConnectionsPerClientIp;
        if (limit == 0)
        {
            return next;
        }
        return async connection =>
        {
            var address = (connection.RemoteEndPoint as IPEndPoint)?.Address;
            if (address is null)
            {
                await next(connection); // Unix sockets and the like: no IP to count.
                return;
            }
            if (address.IsIPv4MappedToIPv6)
            {
                address = address.MapToIPv4();
            }
            if (!TryAcquire(address, limit))
            {
                metrics.ConnectionRejected();
                LogRejected(logger, address.ToString(), limit);
                connection.Abort(new ConnectionAbortedException("Too many connections from this client IP."));
                return;
            }
            try
            {
                await next(connection);
            }
            finally
            {
                Release(address);
            }
        };
    }

    private bool TryAcquire(IPAddress address, int limit)
    {
        lock (_open)
        {
            _open.TryGetValue(address, out var count);
            if (count >= limit)
            {
                return false;
            }
            _open[address] = count + 1;
            return true;
        }
    }

    private void Release(IPAddress address)
    {
        lock (_open)
        {
            if (_open.TryGetValue(address, out var count) && count > 1)
            {
                _open[address] = count - 1;
            }
            else
            {
                _open.Remove(address); // no entry kept per past client: the table stays as small as the open set
            }
        }
    }

    // Debug, not Warning: under a flood this fires per connection; the counter is what to alert on.
    [LoggerMessage(EventId = 1400, Level = LogLevel.Debug, Message = "Closed a new connection from {ClientIp}: it already has {Limit} open")]
    private static partial void LogRejected(ILogger logger, string clientIp, int limit);
}
