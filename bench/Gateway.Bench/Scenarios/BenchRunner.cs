using McpPlatform.Bench.Gateway.Client;
using McpPlatform.Bench.Gateway.Report;
using McpPlatform.Bench.Gateway.Targets;

namespace McpPlatform.Bench.Gateway.Scenarios;

/// <summary>
/// Runs every scenario on every target with the same client: rounds of setup, sequential and
/// throughput interleaved across targets (best of the rounds kept), the SDK cross-check in the
/// first round, then issue 6's paired auth/no-auth slices, then memory, then the crash
/// (last: it may leave a target broken). A failing scenario is noted and the run goes on.
/// </summary>
public sealed class BenchRunner(IReadOnlyList<Target> targets, ScenarioOptions options, Func<Target, bool> fullScenarios, bool sdkCrossCheck)
{
    public async Task<IReadOnlyList<TargetResult>> RunAsync(CancellationToken cancellationToken)
    {
        var results = targets.ToDictionary(t => t, t => new TargetResult(t.Name));
        foreach (var target in targets)
        {
            try
            {
                await target.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                results[target].Failure = "did not start: " + ex.Message;
            }
        }
        var live = targets.Where(t => results[t].Failure is null).ToList();
        for (var round = 1; round <= options.Rounds; round++)
        {
            Console.Error.WriteLine($"round {round} of {options.Rounds}");
            foreach (var target in live)
            {
                var result = results[target];
                await StepAsync(target, result, "setup", () => SetupScenario.RunAsync(target, options, result, cancellationToken), cancellationToken).ConfigureAwait(false);
                await StepAsync(target, result, "sequential", () => SequentialScenario.RunAsync(target, options, result, cancellationToken), cancellationToken).ConfigureAwait(false);
                foreach (var concurrency in options.Concurrency)
                {
                    await StepAsync(target, result, $"throughput x{concurrency}",
                        () => ThroughputScenario.RunAsync(target, concurrency, options, result, cancellationToken), cancellationToken).ConfigureAwait(false);
                }
                if (sdkCrossCheck && round == 1)
                {
                    await StepAsync(target, result, "SDK client", () => SdkCrossCheck.RunAsync(target, options, result, cancellationToken), cancellationToken).ConfigureAwait(false);
                }
            }
        }
        if (live.FirstOrDefault(t => t.Name == PlatformTarget.Main) is { } auth && live.FirstOrDefault(t => t.Name == PlatformTarget.AuthOff) is { } off)
        {
            foreach (var concurrency in options.Concurrency)
            {
                await StepAsync(auth, results[auth], $"auth ratio x{concurrency}",
                    () => AuthRatioScenario.RunAsync(auth, results[auth], off, results[off], concurrency, options, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
        }
        foreach (var target in live.Where(fullScenarios))
        {
            var result = results[target];
            await StepAsync(target, result, "memory", () => MemoryScenario.RunAsync(target, options, result, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        foreach (var target in live.Where(t => t.HasCrashScenario && fullScenarios(t)))
        {
            var result = results[target];
            await StepAsync(target, result, "crash", () => CrashScenario.RunAsync(target, options, result, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        return [.. targets.Select(t => results[t])];
    }

    private static async Task StepAsync(Target target, TargetResult result, string step, Func<Task> run, CancellationToken cancellationToken)
    {
        if (!target.IsAlive)
        {
            Note(result, $"{step}: skipped, the target is no longer running");
            return;
        }
        var straysBefore = PendingAnswers.Strays;
        Console.Error.WriteLine($"  {result.Name}: {step} ({DateTimeOffset.UtcNow:HH:mm:ss})");
        try
        {
            await run().ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Note(result, $"{step}: {ex.GetType().Name}: {ex.Message}");
        }
        result.Strays += PendingAnswers.Strays - straysBefore;
    }

    private static void Note(TargetResult result, string note)
    {
        Console.Error.WriteLine($"  {result.Name}: {note}");
        if (!result.Notes.Contains(note))
        {
            result.Notes.Add(note);
        }
    }
}
