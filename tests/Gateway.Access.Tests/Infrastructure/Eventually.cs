namespace McpPlatform.Gateway.Access.Tests.Infrastructure;

/// <summary>Waits for a state reached on its own, checking on a short timer with a deadline: never a fixed sleep.</summary>
public static class Eventually
{
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, TimeSpan? interval = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        using var deadline = new CancellationTokenSource(limit);
        using var tick = new PeriodicTimer(interval ?? TimeSpan.FromMilliseconds(100));
        try
        {
            while (!await condition())
            {
                await tick.WaitForNextTickAsync(deadline.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            Assert.Fail($"Waited {limit.TotalSeconds:0} s for {what}.");
        }
    }
}
