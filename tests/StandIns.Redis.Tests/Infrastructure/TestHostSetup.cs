using System.Runtime.CompilerServices;

namespace McpPlatform.Redis.Tests.Infrastructure;

internal static class TestHostSetup
{
    /// <summary>
    /// The test host parks some pool threads in blocking waits of its own; on a 2-core machine that leaves the
    /// timer that expires Redis commands queued behind them for the ~500 ms the pool takes to add a thread,
    /// which makes timeout tests lie. A service host (Kestrel) does not have this problem.
    /// </summary>
    [ModuleInitializer]
    internal static void RaiseThreadPoolFloor() => ThreadPool.SetMinThreads(Math.Max(16, Environment.ProcessorCount * 4), 16);
}
