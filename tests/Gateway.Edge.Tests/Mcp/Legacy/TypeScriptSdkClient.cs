using System.Diagnostics;
using System.Text.Json.Nodes;
using McpPlatform.Hosting;

namespace McpPlatform.Gateway.Edge.Tests.Mcp.Legacy;

/// <summary>
/// Runs a script of <c>node/</c> that drives the TypeScript SDK client (the real peer) against the gateway, and returns
/// the JSON line it prints last. The process is killed if it outlives the timeout.
/// </summary>
internal static class TypeScriptSdkClient
{
    /// <summary><c>node/sdk-client.mjs</c> for one scenario over one transport.</summary>
    public static Task<(int ExitCode, JsonObject Seen, string Errors)> RunAsync(string transport, Uri url, string scenario, string? apiKey) =>
        RunScriptAsync("sdk-client.mjs", transport, url.ToString(), scenario, apiKey ?? string.Empty);

    public static async Task<(int ExitCode, JsonObject Seen, string Errors)> RunScriptAsync(string script, params string[] arguments)
    {
        var node = Path.Combine(DistributedApplicationBuilder.FindRepositoryRoot(AppContext.BaseDirectory), "tests", "Gateway.Edge.Tests", "node");
        var info = new ProcessStartInfo("node") { WorkingDirectory = node, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments.Prepend(script))
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("node did not start");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        var last = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "{}";
        return (process.ExitCode, JsonNode.Parse(last)!.AsObject(), await errors);
    }
}
