using McpPlatform.Bench.Gateway.Client;
using McpPlatform.Bench.Gateway.Targets;

namespace McpPlatform.Bench.Gateway.Scenarios;

/// <summary>Opening and closing many sessions at once, a few at a time so a process-per-session gateway is not stampeded.</summary>
public static class Sessions
{
    private const int OpenAtOnce = 8;

    public static async Task<List<McpSession>> OpenAsync(Target target, int count, CancellationToken cancellationToken)
    {
        var sessions = new List<McpSession>(count);
        using var gate = new SemaphoreSlim(OpenAtOnce);
        var opening = Enumerable.Range(0, count).Select(async _ =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(60));
                var session = await target.OpenSessionAsync(timeout.Token).ConfigureAwait(false);
                lock (sessions)
                {
                    sessions.Add(session);
                }
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        try
        {
            await Task.WhenAll(opening).ConfigureAwait(false);
        }
        catch
        {
            await CloseAsync(sessions).ConfigureAwait(false);
            throw;
        }
        return sessions;
    }

    public static async Task CloseAsync(IEnumerable<McpSession> sessions)
    {
        await Task.WhenAll(sessions.Select(s => s.DisposeAsync().AsTask())).ConfigureAwait(false);
    }

    /// <summary>One echo call bounded by <paramref name="timeout"/>.</summary>
    public static async Task<CallOutcome> EchoAsync(McpSession session, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        var outcome = await session.EchoAsync(bounded.Token).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return outcome;
    }
}
