using System.Net;
using System.Net.Sockets;

namespace McpPlatform.Gateway.Access.Tests.Infrastructure;

/// <summary>
/// A TCP relay on 127.0.0.1:0 in front of a real server, so a test can make that server unreachable (and reachable
/// again) without touching it: <see cref="Cut"/> refuses new connections and resets the open ones.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly Uri _target;
    private readonly List<TcpClient> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private TcpListener? _listener;
    private Task _accepting = Task.CompletedTask;

    public TcpRelay(Uri target)
    {
        _target = target;
        Listen(0);
        Address = new Uri($"http://127.0.0.1:{Port}");
    }

    public Uri Address { get; }

    private int Port { get; set; }

    /// <summary>Makes the target unreachable: the port refuses connections, open ones are reset.</summary>
    public void Cut()
    {
        _listener?.Stop();
        _listener = null;
        lock (_open)
        {
            foreach (var client in _open)
            {
                // A reset, not a polite close: the peer sees the connection die as it would with a crashed server.
                if (client.Client is { } socket)
                {
                    socket.LingerState = new LingerOption(true, 0);
                }

                client.Dispose();
            }

            _open.Clear();
        }
    }

    /// <summary>Makes the target reachable again on the same port.</summary>
    public void Restore() => Listen(Port);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Cut();
        await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private void Listen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _listener = listener;
        _accepting = AcceptAsync(listener);
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            _ = RelayAsync(inbound);
        }
    }

    private async Task RelayAsync(TcpClient inbound)
    {
        using var outbound = new TcpClient();
        lock (_open)
        {
            _open.Add(inbound);
            _open.Add(outbound);
        }

        try
        {
            await outbound.ConnectAsync(_target.Host, _target.Port, _stop.Token);
            var a = inbound.GetStream();
            var b = outbound.GetStream();
            await Task.WhenAny(a.CopyToAsync(b, _stop.Token), b.CopyToAsync(a, _stop.Token));
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            lock (_open)
            {
                _open.Remove(inbound);
                _open.Remove(outbound);
            }

            inbound.Dispose();
        }
    }
}
