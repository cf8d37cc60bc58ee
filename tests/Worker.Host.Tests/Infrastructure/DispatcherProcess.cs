using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using McpPlatform.Contracts.Worker.V1;
using McpPlatform.TestSupport;

namespace McpPlatform.Worker.Host.Tests.Infrastructure;

/// <summary>
/// Dispatcher.Grpc run straight from its build output on a port the test picks, so it can be stopped and started again
/// at the same address a worker was told (the testing builder picks new ports on every start).
/// </summary>
internal sealed class DispatcherProcess : IAsyncDisposable
{
    private readonly Process _process;

    private DispatcherProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public int Pid => _process.Id;

    /// <summary>A free loopback port (the kernel's pick, released at once).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<DispatcherProcess> StartAsync(int port, params (string Name, string Value)[] settings)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var dll = Path.Combine(McpPlatform.Worker.Host.Pool.RepoLocator.Resolve(string.Empty), "Dispatcher.Grpc", "bin", configuration, "net10.0", "Dispatcher.Grpc.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(dll)! };
        info.ArgumentList.Add(dll);
        info.Environment["Kestrel__Endpoints__http__Url"] = "http://127.0.0.1:0";
        info.Environment["Kestrel__Endpoints__grpc__Url"] = $"http://127.0.0.1:{port}";
        info.Environment["Kestrel__Endpoints__grpc__Protocols"] = "Http2";
        foreach (var (name, value) in settings)
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var dispatcher = new DispatcherProcess(process, new Uri($"http://127.0.0.1:{port}"));
        try
        {
            await dispatcher.WaitUntilServingAsync();
            return dispatcher;
        }
        catch
        {
            await dispatcher.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilServingAsync()
    {
        using var channel = GrpcChannel.ForAddress(Address);
        var registry = new WorkerRegistry.WorkerRegistryClient(channel);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var limit = DateTime.UtcNow.AddSeconds(45);
        while (true)
        {
            try
            {
                await registry.HeartbeatAsync(new HeartbeatRequest { WorkerId = "probe" }, deadline: DateTime.UtcNow.AddSeconds(5));
                return;
            }
            catch (RpcException) when (DateTime.UtcNow < limit && !_process.HasExited)
            {
                await timer.WaitForNextTickAsync();
            }
        }
    }

    /// <summary>Kills the dispatcher (an outage, not a clean stop) and checks by PID that it is gone.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        Assert.Empty(ProcessTable.Survivors([_process.Id]));
        _process.Dispose();
    }
}
