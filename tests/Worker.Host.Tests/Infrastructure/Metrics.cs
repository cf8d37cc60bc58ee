using McpPlatform.TestSupport;

namespace McpPlatform.Worker.Host.Tests.Infrastructure;

/// <summary>Reads one gauge from a service's <c>/metrics</c>, to wait for a state another process is in.</summary>
internal static class Metrics
{
    /// <summary>The sum of the samples whose name starts with <paramref name="name"/> and whose labels hold <paramref name="labelPart"/>.</summary>
    public static async Task<double> SumAsync(HttpClient http, string name, string labelPart = "")
    {
        var samples = PrometheusText.Parse(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
        return samples.Where(s => s.Name.StartsWith(name, StringComparison.Ordinal) && s.Labels.Contains(labelPart, StringComparison.Ordinal)).Sum(s => s.Value);
    }

    /// <summary>Polls until the gauge reaches <paramref name="atLeast"/>; fails the test after <paramref name="seconds"/>.</summary>
    public static async Task WaitForAsync(HttpClient http, string name, string labelPart, double atLeast, string what, int seconds = 30)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        var limit = DateTime.UtcNow.AddSeconds(seconds);
        double value;
        while ((value = await SumAsync(http, name, labelPart)) < atLeast)
        {
            Assert.True(DateTime.UtcNow < limit, $"{what}: {name}{{{labelPart}}} stayed at {value}, below {atLeast}, for {seconds} s.");
            await timer.WaitForNextTickAsync();
        }
    }
}
