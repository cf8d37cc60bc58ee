using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;

namespace McpPlatform.StandIns.Grpc.Tests.Infrastructure;

/// <summary>A running <c>node/interop.js</c> process (the real grpc-js peer); always killed on dispose.</summary>
public sealed class NodePeer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly System.Text.StringBuilder _stderr = new();

    private NodePeer(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _lines.Writer.TryComplete();
            }
            else
            {
                _lines.Writer.TryWrite(e.Data);
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static NodePeer Start(params string[] arguments)
    {
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepoPaths.NodeDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(RepoPaths.NodeDirectory, "interop.js"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return new NodePeer(Process.Start(info) ?? throw new InvalidOperationException("node did not start"));
    }

    /// <summary>Starts the grpc-js server and returns it once it printed its port.</summary>
    public static async Task<(NodePeer Peer, int Port)> StartServerAsync()
    {
        var peer = Start("server");
        var line = await peer.ReadLineAsync("PORT ", TimeSpan.FromSeconds(30));
        return (peer, int.Parse(line["PORT ".Length..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Runs one client scenario against <paramref name="port"/> and returns its JSON result.</summary>
    public static async Task<JsonElement> RunClientAsync(int port, string scenario)
    {
        await using var peer = Start("client", port.ToString(System.Globalization.CultureInfo.InvariantCulture), scenario);
        var line = await peer.ReadLineAsync("RESULT ", TimeSpan.FromSeconds(60));
        var result = JsonDocument.Parse(line["RESULT ".Length..]).RootElement.Clone();
        if (result.TryGetProperty("exception", out var exception))
        {
            throw new InvalidOperationException($"Node scenario '{scenario}' failed: {exception.GetString()}");
        }

        return result;
    }

    public async Task<string> ReadLineAsync(string prefix, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await foreach (var line in _lines.Reader.ReadAllAsync(cts.Token))
            {
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return line;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        throw new InvalidOperationException($"node printed no '{prefix}' line. stderr: {Stderr}");
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
        }
        finally
        {
            _process.Dispose();
        }
    }
}
