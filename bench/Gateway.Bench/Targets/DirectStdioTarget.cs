using System.Collections.Concurrent;
using System.Diagnostics;
using McpPlatform.Bench.Gateway.Client;

namespace McpPlatform.Bench.Gateway.Targets;

/// <summary>The limit: no gateway, each session a client with its own echo server process, as a local stdio client runs it.</summary>
public sealed class DirectStdioTarget : Target
{
    private readonly ConcurrentDictionary<int, byte> _processes = new();

    public override string Name => "direct stdio";

    public override bool HasOwnProcesses => false;

    public override bool HasCrashScenario => false;

    public override IReadOnlyList<int> RootProcessIds => [.. _processes.Keys];

    public override bool IsAlive => true;

    public override Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected override McpSession CreateSession()
    {
        var session = new StdioSession(new ProcessStartInfo("dotnet") { ArgumentList = { BenchPaths.EchoServer } },
            ended => _processes.TryRemove(ended.ProcessId, out _));
        _processes[session.ProcessId] = 0;
        return session;
    }

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
