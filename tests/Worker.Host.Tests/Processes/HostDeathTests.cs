using System.Diagnostics;
using McpPlatform.Worker.Host.Pool;
using McpPlatform.Worker.Host.Tests.Infrastructure;

namespace McpPlatform.Worker.Host.Tests.Processes;

public sealed class HostDeathTests
{
    [Fact(Timeout = 90_000)]
    public async Task HostKilledWithSigkill_ItsServerProcessesDieWithIt()
    {
        var repo = RepoLocator.Resolve(string.Empty);
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var hostDll = Path.Combine(repo, "Worker.Host", "bin", configuration, "net10.0", "Worker.Host.dll");
        var root = Path.Combine(Path.GetTempPath(), "mcp-worker-death-tests", Guid.NewGuid().ToString("n"));
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(hostDll)! };
        info.ArgumentList.Add(hostDll);
        info.Environment["Kestrel__Endpoints__http__Url"] = "http://127.0.0.1:0";
        info.Environment["Kestrel__Endpoints__grpc__Url"] = "http://127.0.0.1:0";
        info.Environment["Worker__WorkspaceRoot"] = root;
        info.Environment["Worker__Servers__echo__Args__0"] = TestPool.SampleDll("EchoServer");
        info.Environment["Worker__Servers__echo__MinSlots"] = "2";
        using var host = Process.Start(info)!;
        host.OutputDataReceived += (_, _) => { };
        host.ErrorDataReceived += (_, _) => { };
        host.BeginOutputReadLine();
        host.BeginErrorReadLine();
        try
        {
            IReadOnlyList<int> children = [];
            Assert.True(await Eventually.TrueAsync(() => (children = ServerProcesses.Children(host.Id, "EchoServer.dll")).Count == 2, TimeSpan.FromSeconds(45)),
                "the host did not start its two warm echo processes");

            host.Kill();
            await host.WaitForExitAsync();

            Assert.True(await Eventually.TrueAsync(() => children.All(pid => !TestPool.IsRunning(pid)), TimeSpan.FromSeconds(10)),
                "a server process outlived its killed host (pdeathsig not in effect)");
        }
        finally
        {
            if (!host.HasExited)
            {
                host.Kill();
            }

            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }
}
