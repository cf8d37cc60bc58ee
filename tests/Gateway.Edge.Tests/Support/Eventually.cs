using McpPlatform.TestSupport;

namespace McpPlatform.Gateway.Edge.Tests.Support;

/// <summary>
/// Waits for a state the edge reaches on its own (a probe verdict, a reload, a metric), checking it
/// on a short timer with a deadline: a condition, never a fixed sleep.
/// </summary>
public static class Eventually
{
    public static Task UntilAsync(Func<bool> condition, string what) => UntilAsync(() => Task.FromResult(condition()), what);

    public static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (!await condition())
            {
                await tick.WaitForNextTickAsync(timeout.Token);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            Assert.Fail($"Waited 20 s for {what}.");
        }
    }

    /// <summary>Until <c>/metrics</c> has a sample of <paramref name="name"/> with all of <paramref name="labels"/> (and <paramref name="value"/>, when given).</summary>
    public static Task UntilMetricAsync(HttpClient edge, string name, string[] labels, double? value = null) =>
        UntilAsync(async () => PrometheusText.Parse(await edge.GetStringAsync("/metrics")).Any(s =>
                s.Name == name && labels.All(l => s.Labels.Contains(l, StringComparison.Ordinal)) && (value is null || s.Value == value)),
            $"{name}{{{string.Join(',', labels)}}}{(value is null ? "" : " " + value)}");
}
