using System.Net;
using McpPlatform.Gateway.Edge.Tests.Support;
using McpPlatform.TestSupport;
using Xunit.Abstractions;

namespace McpPlatform.Gateway.Edge.Tests.LoadBalancing;

[Collection(EdgeCollection.Name)]
public sealed class BalancingTests(EdgeFixture edge, ITestOutputHelper output) : IDisposable
{
    public void Dispose() => output.WriteLine(edge.Log());

    [Fact]
    public async Task RoundRobin_AlternatesLiveReplicas_AndNeverFailsOnTheDownOne()
    {
        await WaitForHealthAsync(edge.DownReplica.Url, healthy: false);

        var served = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            using var response = await edge.Client.GetAsync("/me");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            served.Add((await Echo.ReadAsync(response)).Upstream);
        }

        Assert.Equal(4, served.Count(s => s == "access-a"));
        Assert.Equal(4, served.Count(s => s == "access-b"));
        Assert.All(served.Zip(served.Skip(1)), pair => Assert.NotEqual(pair.First, pair.Second));
    }

    [Fact]
    public async Task FailingHealthProbe_TakesTheReplicaOut_UntilItPassesAgain()
    {
        edge.ReplicaB.Healthy = false;
        try
        {
            // Three probes: one may have read the old answer, the second reads the new one, the third proves it was applied.
            await edge.ReplicaB.NextProbe.WaitAsync(TimeSpan.FromSeconds(10));
            await edge.ReplicaB.NextProbe.WaitAsync(TimeSpan.FromSeconds(10));
            await edge.ReplicaB.NextProbe.WaitAsync(TimeSpan.FromSeconds(10));

            Assert.Equal(["access-a", "access-a", "access-a", "access-a"], await ServedAsync(4));
        }
        finally
        {
            edge.ReplicaB.Healthy = true;
        }
        await edge.ReplicaB.NextProbe.WaitAsync(TimeSpan.FromSeconds(10));
        await edge.ReplicaB.NextProbe.WaitAsync(TimeSpan.FromSeconds(10));
        await edge.ReplicaB.NextProbe.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Contains("access-b", await ServedAsync(4));
    }

    [Fact]
    public async Task Metrics_CountForwardedRequests_AndReportUpstreamHealth()
    {
        using (var response = await edge.Client.GetAsync("/keys"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        await WaitForHealthAsync(edge.DownReplica.Url, healthy: false);

        var samples = PrometheusText.Parse(await edge.Client.GetStringAsync("/metrics"));

        Assert.Contains(samples, s => s.Name == "mcpplatform_edge_forwarded_requests_total"
            && s.Labels.Contains("route=\"keys\"", StringComparison.Ordinal)
            && s.Labels.Contains("service=\"access-api\"", StringComparison.Ordinal)
            && s.Labels.Contains("http_response_status_code=\"200\"", StringComparison.Ordinal));
        Assert.Contains(samples, s => s.Name == "mcpplatform_edge_upstream_duration_seconds_count"
            && s.Labels.Contains("route=\"keys\"", StringComparison.Ordinal));
        Assert.Contains(samples, s => s.Name == "mcpplatform_edge_upstream_health"
            && s.Labels.Contains($"upstream=\"{edge.ReplicaA.Url}\"", StringComparison.Ordinal) && s.Value == 1);
    }

    private async Task<string[]> ServedAsync(int count)
    {
        var served = new List<string>();
        for (var i = 0; i < count; i++)
        {
            using var response = await edge.Client.GetAsync("/me");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            served.Add((await Echo.ReadAsync(response)).Upstream);
        }
        return [.. served];
    }

    /// <summary>Until the health gauge shows the verdict for <paramref name="upstream"/> (its first probe round, usually long done).</summary>
    private Task WaitForHealthAsync(Uri upstream, bool healthy) =>
        Eventually.UntilMetricAsync(edge.Client, "mcpplatform_edge_upstream_health", [$"upstream=\"{upstream}\""], healthy ? 1 : 0);
}
