using System.Diagnostics;
using McpPlatform.Processes;

namespace McpPlatform.Hosting.Infrastructure;

/// <summary>A Docker or Podman engine that answers (a client alone is not enough).</summary>
internal sealed record ContainerEngine(string Client)
{
    /// <summary>The first of docker and podman whose server answers within five seconds, or null.</summary>
    public static ContainerEngine? Detect()
    {
        foreach (var client in new[] { "docker", "podman" })
        {
            if (ExecutableSearch.Find(client) is { } path && Answers(path))
            {
                return new ContainerEngine(path);
            }
        }
        return null;
    }

    private static bool Answers(string client)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(client, ["version", "--format", "{{.Server.Version}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (process is null)
            {
                return false;
            }
            if (!process.WaitForExit(5_000))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }
            return process.ExitCode == 0 && process.StandardOutput.ReadToEnd().Trim().Length > 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>Removes a container by name, ignoring one that does not exist.</summary>
    public void ForceRemove(string containerName)
    {
        using var process = Process.Start(new ProcessStartInfo(Client, ["rm", "-f", containerName])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        });
        process?.WaitForExit(15_000);
    }
}
