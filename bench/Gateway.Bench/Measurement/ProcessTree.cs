using System.Globalization;

namespace McpPlatform.Bench.Gateway.Measurement;

/// <summary>
/// The processes of a target read from /proc: its root processes and all their descendants,
/// split into the target's own processes and the stdio servers it runs (the echo server), so CPU
/// can be counted without the server and memory with it.
/// </summary>
public static class ProcessTree
{
    private const string StdioServerMarker = "EchoServer.dll";
    private static readonly long PageBytes = Environment.SystemPageSize;
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>The roots and every descendant, each once.</summary>
    public static IReadOnlyList<int> WithDescendants(IEnumerable<int> roots)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Stat(pid) is { } stat)
            {
                if (!children.TryGetValue(stat.ParentId, out var list))
                {
                    children[stat.ParentId] = list = [];
                }
                list.Add(pid);
            }
        }
        var seen = new HashSet<int>();
        var queue = new Queue<int>(roots);
        while (queue.TryDequeue(out var pid))
        {
            if (seen.Add(pid) && children.TryGetValue(pid, out var list))
            {
                list.ForEach(queue.Enqueue);
            }
        }
        return [.. seen.Where(p => Directory.Exists($"/proc/{p}"))];
    }

    /// <summary>
    /// True for the stdio server's processes (<c>dotnet …EchoServer.dll</c>, and the shells that
    /// wrap them); not for a gateway whose own command line names the server.
    /// </summary>
    public static bool IsStdioServer(int pid)
    {
        try
        {
            var args = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
            return args.Length > 0 && Path.GetFileName(args[0]) is "dotnet" or "sh" or "setsid" or "setpriv"
                && args.Any(a => a.Contains(StdioServerMarker, StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>A snapshot of a target: processes, resident memory and CPU time.</summary>
    public static TreeSample Sample(IEnumerable<int> roots)
    {
        int processes = 0, servers = 0;
        long rss = 0, cpuTicks = 0;
        foreach (var pid in WithDescendants(roots))
        {
            var server = IsStdioServer(pid);
            var stat = Stat(pid);
            if (stat is null)
            {
                continue;
            }
            processes++;
            rss += stat.Value.RssPages * PageBytes;
            if (server)
            {
                servers++;
            }
            else
            {
                cpuTicks += stat.Value.CpuTicks;
            }
        }
        return new TreeSample(processes, servers, rss, cpuTicks / TicksPerSecond);
    }

    /// <summary>Per-process CPU seconds (the stdio servers left out), by a short name, for the per-hop breakdown.</summary>
    public static Dictionary<string, double> CpuByProcess(IEnumerable<int> roots)
    {
        var result = new Dictionary<string, double>();
        foreach (var pid in WithDescendants(roots).Where(p => !IsStdioServer(p)))
        {
            if (Stat(pid) is { } stat)
            {
                var name = ShortName(pid);
                result[name] = result.GetValueOrDefault(name) + stat.CpuTicks / TicksPerSecond;
            }
        }
        return result;
    }

    /// <summary>"Gateway.Edge.dll" for dotnet, "node mcp-proxy" for node, "postgres" or "redis-server" for the rest.</summary>
    private static string ShortName(int pid)
    {
        try
        {
            var args = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
            var program = args.Length == 0 ? pid.ToString(CultureInfo.InvariantCulture) : Path.GetFileName(args[0]).Split(':', ' ')[0];
            return program switch
            {
                "dotnet" when args.Length > 1 => Path.GetFileName(args[1]),
                "node" when args.Length > 1 => "node " + Path.GetFileName(args[1]),
                _ => program,
            };
        }
        catch (IOException)
        {
            return pid.ToString(CultureInfo.InvariantCulture);
        }
    }

    private static ProcStat? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            // The command name may hold spaces and parentheses: fields start after the last ')'.
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return new ProcStat(
                int.Parse(fields[1], CultureInfo.InvariantCulture),
                long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture),
                long.Parse(fields[21], CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private readonly record struct ProcStat(int ParentId, long CpuTicks, long RssPages);
}

/// <summary>Processes (all, and stdio servers among them), RSS in bytes over all, CPU seconds over all but the servers.</summary>
public readonly record struct TreeSample(int Processes, int Servers, long RssBytes, double CpuSeconds);
