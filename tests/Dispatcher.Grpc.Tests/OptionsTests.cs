using McpPlatform.Dispatcher.Grpc.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace McpPlatform.Dispatcher.Grpc.Tests;

public sealed class OptionsTests
{
    [Fact]
    public async Task BadDispatcherOptions_StopTheStart_ListingEveryProblem()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => DispatcherUnderTest.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Dispatcher:MissedHeartbeats"] = "0",
            ["Dispatcher:QueueTimeout"] = "00:00:00",
            ["Dispatcher:RetryAfter"] = "00:00:00.500",
            ["Dispatcher:MaxWorkerAttempts"] = "0",
        }));

        Assert.Contains("Dispatcher:MissedHeartbeats must be at least 1.", error.Failures);
        Assert.Contains("Dispatcher:QueueTimeout must be positive.", error.Failures);
        Assert.Contains(error.Failures, failure => failure.StartsWith("Dispatcher:RetryAfter", StringComparison.Ordinal));
        Assert.Contains("Dispatcher:MaxWorkerAttempts must be at least 1.", error.Failures);
    }

    [Fact]
    public async Task BadLeaseBankOptions_StopTheStart_ListingEveryProblem()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => DispatcherUnderTest.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Dispatcher:LeaseBank:MaxBlock"] = "0",
            ["Dispatcher:LeaseBank:IdleReturn"] = "00:00:00.001",
            ["Dispatcher:LeaseBank:ExactPlanLimit"] = "-1",
        }));

        Assert.Contains("Dispatcher:LeaseBank:MaxBlock must be between 1 and 1000.", error.Failures);
        Assert.Contains(error.Failures, failure => failure.StartsWith("Dispatcher:LeaseBank:IdleReturn must be between 10 ms and 10 s", StringComparison.Ordinal));
        Assert.Contains(error.Failures, failure => failure.StartsWith("Dispatcher:LeaseBank:ExactPlanLimit must not be negative", StringComparison.Ordinal));
    }
}
