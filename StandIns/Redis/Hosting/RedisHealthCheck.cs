using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace McpPlatform.Redis.Hosting;

/// <summary>Healthy when a PING round-trips on the shared connection within the check's time.</summary>
internal sealed class RedisHealthCheck(RedisMultiplexer multiplexer) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!multiplexer.IsConnected)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"Not connected to Redis at {multiplexer.Options.EndPoint}.");
        }

        try
        {
            var rtt = await multiplexer.GetDatabase().PingAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"PING {rtt.TotalMilliseconds:0.###} ms");
        }
        catch (RedisException exception)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, exception.Message, exception);
        }
    }
}
