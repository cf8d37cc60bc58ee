using System.Globalization;
using System.Text;
using McpPlatform.Hosting;
using McpPlatform.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace McpPlatform.Gateway.Edge.Tests.Support;

/// <summary>
/// One Gateway.Edge process shared by the forwarding and balancing tests, in front of real
/// upstreams: an <c>identity</c> replica with streaming, large, resetting and silent endpoints, and
/// <c>access-api</c> as two live replicas around one that refuses connections.
/// </summary>
public sealed class EdgeFixture : IAsyncLifetime
{
    private ServiceUnderTest? _service;

    public BufferedOutput Output { get; } = new();

    public Upstream Identity { get; private set; } = null!;

    public Upstream ReplicaA { get; private set; } = null!;

    public Upstream ReplicaB { get; private set; } = null!;

    public ClosedPort DownReplica { get; } = new();

    /// <summary>Completed by a test to let <c>/account/sse</c> send its second event.</summary>
    public TaskCompletionSource SecondEvent { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the edge abandoned an SSE request (its client left).</summary>
    public TaskCompletionSource SseAbandoned { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the upstream has sent the first SSE event.</summary>
    public TaskCompletionSource FirstEventSent { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Uri Gateway { get; private set; } = null!;

    public ServiceUnderTest Service => _service!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Identity = await Upstream.StartAsync("identity", MapIdentity);
        ReplicaA = await Upstream.StartAsync("access-a");
        ReplicaB = await Upstream.StartAsync("access-b");
        _service = await ServiceUnderTest.StartAsync(Output, builder => builder
            .AddProject("gateway-edge", "Gateway.Edge/Gateway.Edge.csproj")
            .WithEnvironment("services__identity__http__0", Identity.Url.ToString())
            .WithEnvironment("services__access-api__http__0", ReplicaA.Url.ToString())
            .WithEnvironment("services__access-api__http__1", DownReplica.Url.ToString())
            .WithEnvironment("services__access-api__http__2", ReplicaB.Url.ToString())
            .WithEnvironment("Edge__Routes__slow__Path", "/slow/{**rest}")
            .WithEnvironment("Edge__Routes__slow__Service", "identity")
            .WithEnvironment("Edge__Routes__slow__ActivityTimeout", "00:00:01")
            .WithEnvironment("Edge__Health__Active__Interval", "00:00:00.2")
            .WithEnvironment("Edge__Health__Active__Timeout", "00:00:02")
            .WithEnvironment("Edge__Limits__MaxRequestBodySize", (24 * 1024 * 1024).ToString(CultureInfo.InvariantCulture)));
        Gateway = _service.App.GetEndpoint("gateway-edge");
        Client = new HttpClient { BaseAddress = Gateway, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
        await Identity.DisposeAsync();
        await ReplicaA.DisposeAsync();
        await ReplicaB.DisposeAsync();
        DownReplica.Dispose();
    }

    /// <summary>Fresh signals for the SSE endpoint (one SSE test at a time: the collection runs serially).</summary>
    public void ResetSse()
    {
        SecondEvent = new(TaskCreationOptions.RunContinuationsAsynchronously);
        FirstEventSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
        SseAbandoned = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private void MapIdentity(WebApplication app)
    {
        app.MapGet("/account/sse", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("id: 1\ndata: first\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            FirstEventSent.TrySetResult();
            await SecondEvent.Task.WaitAsync(context.RequestAborted);
            await context.Response.WriteAsync("id: 2\ndata: second\n\n", context.RequestAborted);
        });
        app.MapGet("/account/sse-endless", async (HttpContext context) =>
        {
            try
            {
                context.Response.ContentType = "text/event-stream";
                await context.Response.WriteAsync("id: 1\ndata: first\n\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await SecondEvent.Task.WaitAsync(context.RequestAborted);
                // Kestrel reads a half-close as the end of the request, not an abort: the upstream may
                // learn that the edge hung up only when its writes start failing.
                for (var id = 2; !context.RequestAborted.IsCancellationRequested; id++)
                {
                    await context.Response.WriteAsync($"id: {id}\ndata: more\n\n", context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                }
            }
            finally
            {
                SseAbandoned.TrySetResult();
            }
        });
        app.MapGet("/account/download", async (HttpContext context, long bytes) =>
        {
            context.Response.ContentType = "application/octet-stream";
            var chunk = Pattern(64 * 1024);
            for (long sent = 0; sent < bytes; sent += chunk.Length)
            {
                await context.Response.Body.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, bytes - sent)), context.RequestAborted);
            }
        });
        app.MapPost("/account/upload", async (HttpContext context) =>
        {
            using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
            var buffer = new byte[64 * 1024];
            long total = 0;
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                sha.AppendData(buffer, 0, read);
                total += read;
            }
            return Results.Text($"{total} {Convert.ToHexString(sha.GetHashAndReset())}");
        });
        app.MapGet("/account/hop", (HttpContext context) =>
        {
            context.Response.Headers.Connection = "X-Resp-Hop";
            context.Response.Headers["X-Resp-Hop"] = "1";
            context.Response.Headers["Keep-Alive"] = "timeout=5";
            context.Response.Headers["Proxy-Thing"] = "1";
            context.Response.Headers["X-Kept"] = "yes";
            return "hop";
        });
        app.MapGet("/account/reset", (HttpContext context) => context.Abort());
        app.MapGet("/slow/silent", async (HttpContext context) =>
        {
            // Silent until the edge gives up and aborts the request.
            await new TaskCompletionSource().Task.WaitAsync(context.RequestAborted);
        });
    }

    /// <summary>Deterministic bytes, so a download can be checked without keeping a copy.</summary>
    public static byte[] Pattern(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 31 % 251)).ToArray();

    public string Log() => string.Join(Environment.NewLine, Output.Lines.TakeLast(80));

    internal static string Utf8(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}

[CollectionDefinition(Name)]
public sealed class EdgeCollection : ICollectionFixture<EdgeFixture>
{
    public const string Name = "edge";
}
