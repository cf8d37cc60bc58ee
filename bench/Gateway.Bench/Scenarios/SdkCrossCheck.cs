using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using McpPlatform.Bench.Gateway.Report;
using McpPlatform.Bench.Gateway.Targets;

namespace McpPlatform.Bench.Gateway.Scenarios;

/// <summary>
/// The official TypeScript SDK client (node/sdk-client.mjs) at 16 sessions against each Streamable
/// HTTP target: a cross-check of the lean client's answers, reported apart because the SDK's own
/// CPU per call caps what it can show on two cores.
/// </summary>
public static class SdkCrossCheck
{
    public const int Sessions = 16;

    public static async Task RunAsync(Target target, ScenarioOptions options, TargetResult result, CancellationToken cancellationToken)
    {
        if (target.StreamableHttp is not { } endpoint)
        {
            return;
        }
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = BenchPaths.NodeDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                "sdk-client.mjs", endpoint.Url.ToString(), Text(Sessions), Text((int)options.Warmup.TotalMilliseconds),
                Text((int)options.Duration.TotalMilliseconds),
            },
        };
        if (endpoint.Bearer is not null)
        {
            start.ArgumentList.Add(endpoint.Bearer);
        }
        using var node = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var errors = node.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Warmup + options.Duration + TimeSpan.FromSeconds(120));
        string? line;
        try
        {
            line = await ReadResultAsync(node, deadline.Token).ConfigureAwait(false);
            await node.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        finally
        {
            if (!node.HasExited)
            {
                node.Kill(entireProcessTree: true);
            }
        }
        if (line is null)
        {
            throw new InvalidOperationException("the SDK client printed no result: " + (await errors.ConfigureAwait(false)).Trim());
        }
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        var calls = root.GetProperty("calls").GetDouble();
        var rate = calls / root.GetProperty("seconds").GetDouble();
        var sdk = new SdkResult(rate, root.GetProperty("p50").ValueKind == JsonValueKind.Number ? root.GetProperty("p50").GetDouble() : double.NaN,
            calls > 0 ? root.GetProperty("clientCpuMs").GetDouble() * 1000 / calls : double.NaN,
            root.GetProperty("wrong").GetInt64(), root.GetProperty("errors").GetInt64());
        Console.Error.WriteLine($"  {target.Name} SDK client x{Sessions}: {rate:F0} calls/s, client CPU {sdk.ClientCpuMicrosPerCall:F0} µs/call");
        if (result.Sdk is null || sdk.CallsPerSecond > result.Sdk.CallsPerSecond)
        {
            result.Sdk = sdk with { Wrong = sdk.Wrong + (result.Sdk?.Wrong ?? 0), Errors = sdk.Errors + (result.Sdk?.Errors ?? 0) };
        }
    }

    private static async Task<string?> ReadResultAsync(Process node, CancellationToken cancellationToken)
    {
        while (await node.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.StartsWith("RESULT ", StringComparison.Ordinal))
            {
                return line["RESULT ".Length..];
            }
        }
        return null;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
