using McpPlatform.Bench.Gateway.Client;
using McpPlatform.Bench.Gateway.Measurement;
using McpPlatform.Bench.Gateway.Report;
using McpPlatform.Bench.Gateway.Targets;

namespace McpPlatform.Bench.Gateway.Scenarios;

/// <summary>
/// Open idle sessions (each after one call) at 1, 10 and 50: processes and RSS of the whole target, stdio servers
/// included; then, 3 s after every session was closed, the stdio processes still running.
/// </summary>
public static class MemoryScenario
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    public static async Task RunAsync(Target target, ScenarioOptions options, TargetResult result, CancellationToken cancellationToken)
    {
        var open = new List<McpSession>();
        try
        {
            foreach (var count in options.MemorySessions)
            {
                var added = await Sessions.OpenAsync(target, count - open.Count, cancellationToken).ConfigureAwait(false);
                open.AddRange(added);
                foreach (var session in added)
                {
                    result.Calls.Add(await Sessions.EchoAsync(session, options.CallTimeout, cancellationToken).ConfigureAwait(false));
                }
                await Task.Delay(Settle, cancellationToken).ConfigureAwait(false);
                var sample = ProcessTree.Sample(target.RootProcessIds);
                result.Memory[count] = sample;
                Console.Error.WriteLine($"  {target.Name} {count} sessions: {sample.Processes} processes ({sample.Servers} servers), {sample.RssBytes / 1048576.0:F0} MiB");
            }
        }
        finally
        {
            await Sessions.CloseAsync(open).ConfigureAwait(false);
        }
        // A gateway that keeps a process per session should end it when the session ends (DELETE).
        await Task.Delay(Settle, cancellationToken).ConfigureAwait(false);
        result.ServersAfterClose = ProcessTree.Sample(target.RootProcessIds).Servers;
    }
}
