using System.Net;
using System.Net.Sockets;

namespace McpPlatform.Hosting.Orchestration;

/// <summary>
/// Free loopback ports, chosen by the kernel and never handed out twice by this process, so that
/// parallel test runs and replicas do not collide.
/// </summary>
public static class PortAllocator
{
    private static readonly HashSet<int> Handed = [];

    // Tests only: the ports the current async flow is handed first (a port a test holds, to collide on purpose).
    private static readonly AsyncLocal<Queue<int>?> Forced = new();

    /// <summary>A port that was free on 127.0.0.1 a moment ago.</summary>
    public static int Next()
    {
        if (Forced.Value is { Count: > 0 } forced)
        {
            return forced.Dequeue();
        }

        for (var attempt = 0; ; attempt++)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            lock (Handed)
            {
                if (Handed.Add(port) || attempt > 50)
                {
                    return port;
                }
            }
        }
    }

    /// <summary>Makes this async flow's next <see cref="Next"/> calls return <paramref name="ports"/> first, in order.</summary>
    internal static void ForceNext(params int[] ports) => Forced.Value = new Queue<int>(ports);
}
