using System.Diagnostics;
using System.Globalization;
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
            List<int> children = [];
            Assert.True(await Eventually.TrueAsync(() => (children = ChildrenRunning(host.Id, "EchoServer.dll")).Count == 2, TimeSpan.FromSeconds(45)),
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

    private static List<int> ChildrenRunning(int parent, string commandPart)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[0] != "Z" && fields[1] == parent.ToString(CultureInfo.InvariantCulture) &&
                    File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(commandPart, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        return found;
    }
}
