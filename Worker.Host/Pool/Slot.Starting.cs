using System.Text.Json;
using McpPlatform.Worker.Host.Processes;

namespace McpPlatform.Worker.Host.Pool;

/// <summary>Spawning a slot's process and, in shared/tenant isolation, the host's own initialize handshake.</summary>
internal sealed partial class Slot
{
    private async Task<StdioProcess> SpawnAsync()
    {
        if (WorkspacePath.Length == 0)
        {
            WorkspacePath = _pool.Workspaces.Resolve(Definition, Number, Tenant, SessionId);
        }

        var workspace = WorkspacePath;
        var (info, _) = SlotEnvironment.Describe(Definition, workspace, Tenant, _pool.Paths);
        var process = await StdioProcess.StartAsync(_pool.Spawner, info, Definition.Name, Definition.MaxLineBytes, this, _pool.ProcessLogger, _stopping.Token)
            .ConfigureAwait(false);
        bool stopping;
        string? reason;
        lock (_gate)
        {
            _process = process;
            ProcessId = process.Pid;
            stopping = _stopping.IsCancellationRequested;
            reason = _stopReason;
        }

        // StopAsync cancels before it reads _process (under the lock): when it found none, the process was spawned
        // after its cancel, and nobody else will stop it (a session slot would wait for its exit forever).
        if (stopping)
        {
            await process.StopAsync(Definition.StopGracePeriod, reason ?? "stopped while starting").ConfigureAwait(false);
            await process.DisposeAsync().ConfigureAwait(false);
            throw new OperationCanceledException(_stopping.Token);
        }

        return process;
    }

    private async Task HandshakeAsync(StdioProcess process)
    {
        var request = HandshakeRequest.Build(Definition.ProtocolVersion);
        var deadline = _pool.TimeProvider.GetTimestamp() + (long)(Definition.InitializeTimeout.TotalSeconds * _pool.TimeProvider.TimestampFrequency);
        var call = SendInternal(process, request, deadline).AsTask();
        await Task.WhenAny(call, process.Completion).ConfigureAwait(false);
        if (!call.IsCompleted)
        {
            FailAll(RpcFailure.StartFailed, "the process ended");
        }

        using var response = await call.ConfigureAwait(false);
        if (response.Failure != RpcFailure.None)
        {
            var why = response.Failure == RpcFailure.Timeout
                ? $"it did not answer initialize within {Definition.InitializeTimeout.TotalSeconds:0.###} s"
                : $"it ended before answering initialize ({process.StopReason ?? "exited"})";
            var stderr = process.RecentStderr;
            throw new SlotStartException(stderr.Length > 0 ? $"{why}; stderr: {stderr}" : why);
        }

        using var document = JsonDocument.Parse(response.Json);
        if (!document.RootElement.TryGetProperty("result", out var result) || result.ValueKind != JsonValueKind.Object)
        {
            var message = document.RootElement.TryGetProperty("error", out var error) ? error.GetRawText() : "no result";
            throw new SlotStartException($"initialize was refused: {message}");
        }

        _initializeResult = System.Text.Encoding.UTF8.GetBytes(result.GetRawText());
        process.TryWrite("""{"jsonrpc":"2.0","method":"notifications/initialized"}"""u8);
    }
}
