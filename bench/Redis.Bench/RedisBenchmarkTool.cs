using System.Diagnostics;
using System.Globalization;

namespace McpPlatform.Redis.Bench;

/// <summary>Runs the real <c>redis-benchmark</c> (redis-tools) and reads its CSV: requests per second and p50.</summary>
internal static class RedisBenchmarkTool
{
    public static async Task<(double OpsPerSecond, double P50Milliseconds)?> RunAsync(int port, int clients, int pipeline, int requests, params string[] testOrCommand)
    {
        var start = new ProcessStartInfo("redis-benchmark") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-c", clients.ToString(CultureInfo.InvariantCulture), "-P", pipeline.ToString(CultureInfo.InvariantCulture), "-n", requests.ToString(CultureInfo.InvariantCulture), "--csv" })
        {
            start.ArgumentList.Add(arg);
        }

        if (testOrCommand.Length == 1 && !testOrCommand[0].Contains(' ', StringComparison.Ordinal))
        {
            start.ArgumentList.Add("-t");
            start.ArgumentList.Add(testOrCommand[0]);
        }
        else
        {
            foreach (var part in testOrCommand)
            {
                start.ArgumentList.Add(part);
            }
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }

        using (process)
        {
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();

            // "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms",...
            var row = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(line => !line.StartsWith("\"test\"", StringComparison.Ordinal));
            if (row is null)
            {
                return null;
            }

            var cells = row.Split(',').Select(cell => cell.Trim().Trim('"')).ToArray();
            return (double.Parse(cells[1], CultureInfo.InvariantCulture), double.Parse(cells[4], CultureInfo.InvariantCulture));
        }
    }
}
