using System.Net;
using System.Net.Sockets;

namespace McpPlatform.Gateway.Edge.Tests.Support;

/// <summary>
/// An address where nothing listens: the port is bound (so nobody else takes it) but never
/// listened on, so every connection attempt is refused at once.
/// </summary>
public sealed class ClosedPort : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public ClosedPort()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_socket.LocalEndPoint!).Port}/");
    }

    public Uri Url { get; }

    public void Dispose() => _socket.Dispose();
}
