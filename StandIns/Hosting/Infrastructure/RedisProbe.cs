using System.Net.Sockets;
using System.Text;

namespace McpPlatform.Hosting.Infrastructure;

/// <summary>
/// The orchestrator's readiness check for Redis: AUTH and PING over a raw socket. The orchestrator
/// needs nothing else from Redis, so it does not take the platform's client library along.
/// </summary>
internal static class RedisProbe
{
    public static async Task<bool> PingAsync(int port, string? password, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, cancellationToken);
            var stream = client.GetStream();
            var command = new StringBuilder();
            if (password is not null)
            {
                command.Append($"*2\r\n$4\r\nAUTH\r\n${Encoding.UTF8.GetByteCount(password)}\r\n{password}\r\n");
            }
            command.Append("*1\r\n$4\r\nPING\r\n");
            await stream.WriteAsync(Encoding.UTF8.GetBytes(command.ToString()), cancellationToken);
            var buffer = new byte[256];
            var received = new StringBuilder();
            while (!received.ToString().Contains("+PONG", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, cancellationToken);
                if (read == 0 || received.Append(Encoding.UTF8.GetString(buffer, 0, read)).ToString().StartsWith('-'))
                {
                    return false; // closed, or an error such as LOADING or WRONGPASS
                }
            }
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
