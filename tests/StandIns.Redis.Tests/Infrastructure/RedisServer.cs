using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace McpPlatform.Redis.Tests.Infrastructure;

/// <summary>
/// A real redis-server on a random 127.0.0.1 port with its own temporary directory and no persistence.
/// It can be stopped and started again on the same port to simulate a restart.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _directory;
    private readonly string[] _extraArgs;
    private Process? _process;

    private readonly bool _tls;

    private RedisServer(int port, string[] extraArgs, bool tls)
    {
        Port = port;
        _extraArgs = extraArgs;
        _tls = tls;
        _directory = Path.Combine(Path.GetTempPath(), "mcp-redis-tests-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_directory);
    }

    public int Port { get; }

    public string EndPoint => $"127.0.0.1:{Port}";

    /// <summary>Starts a server; fails with a clear message when redis-server is not installed.</summary>
    public static async Task<RedisServer> StartAsync(params string[] extraArgs)
    {
        var server = new RedisServer(FreePort(), extraArgs, tls: false);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts a server that only speaks TLS (its extra arguments name the certificate and key).</summary>
    public static async Task<RedisServer> StartTlsAsync(params string[] extraArgs)
    {
        var server = new RedisServer(FreePort(), extraArgs, tls: true);
        await server.StartAgainAsync();
        return server;
    }

    public static string Executable => FindOnPath("redis-server") ?? throw new InvalidOperationException(
        "redis-server is not on PATH, and these tests need a real Redis. Install it (apt-get install redis-server) or run eng/test, which installs it.");

    public async Task StartAgainAsync()
    {
        // The server logs to a file: redirected pipes would each park a thread-pool thread in a blocking read
        // (anonymous pipes have no async I/O on Linux), starving a 2-core test host.
        var logFile = Path.Combine(_directory, "redis.log");
        var start = new ProcessStartInfo(Executable)
        {
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        var port = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] ports = _tls ? ["--port", "0", "--tls-port", port] : ["--port", port];
        foreach (var arg in ports.Concat(["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _directory, "--daemonize", "no", "--logfile", logFile, "--protected-mode", "no", "--enable-debug-command", "yes"]).Concat(_extraArgs))
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");

        var deadline = Stopwatch.StartNew();
        while (!await AnswersPingAsync())
        {
            if (_process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                var log = File.Exists(logFile) ? await File.ReadAllTextAsync(logFile) : "(no log)";
                throw new InvalidOperationException($"redis-server on port {Port} did not become ready:\n{log}");
            }

            // Readiness of an external process: poll its port (nothing of ours to await).
            await Task.Delay(10);
        }
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<bool> AnswersPingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            if (_tls)
            {
                // A TLS-only port would not answer a plain PING: accepting the connection is readiness enough.
                return true;
            }

            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer);

            // +PONG, or -NOAUTH when a password is required: either way the server is up.
            return read > 0;
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
}
