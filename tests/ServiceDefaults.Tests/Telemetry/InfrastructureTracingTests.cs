using System.Collections.Concurrent;
using System.Diagnostics;
using McpPlatform.ServiceDefaults.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace McpPlatform.ServiceDefaults.Tests.Telemetry;

public sealed class InfrastructureTracingTests
{
    [Fact]
    public async Task HealthAndMetricsRequests_AreNotRecorded_OtherRequestsAre()
    {
        var recorded = new ConcurrentDictionary<string, bool>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.GetCustomProperty("test.path") is string path)
                {
                    recorded[path] = activity.Recorded;
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var service = await TestService.StartAsync("tracing-test", app =>
        {
            app.Use((context, next) =>
            {
                Activity.Current?.SetCustomProperty("test.path", context.Request.Path.Value);
                return next(context);
            });
            app.MapGet("/work", () => Results.Ok());
        });
        using var http = new HttpClient { BaseAddress = service.Address };

        foreach (var path in new[] { "/health/ready", "/health/live", "/metrics", "/work" })
        {
            (await http.GetAsync(path)).EnsureSuccessStatusCode();
        }

        Assert.False(recorded["/health/ready"]);
        Assert.False(recorded["/health/live"]);
        Assert.False(recorded["/metrics"]);
        Assert.True(recorded["/work"]);
    }
}
