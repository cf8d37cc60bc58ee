using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace McpPlatform.Gateway.Edge.Tests.Support;

/// <summary>
/// A real upstream: a small Kestrel app on 127.0.0.1 and a random port. It answers its readiness
/// probe as told, signals every probe, and by default echoes each request as JSON.
/// </summary>
public sealed class Upstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile TaskCompletionSource _probed = NewSignal();
    private volatile bool _healthy = true;

    private Upstream(string name, WebApplication app)
    {
        Name = name;
        _app = app;
    }

    public string Name { get; }

    public Uri Url { get; private set; } = null!;

    /// <summary>What <c>/health/ready</c> answers from now on (200 or 503).</summary>
    public bool Healthy
    {
        get => _healthy;
        set => _healthy = value;
    }

    /// <summary>Completes when the next readiness probe has been answered.</summary>
    public Task NextProbe => _probed.Task;

    public static async Task<Upstream> StartAsync(string name, Action<WebApplication>? map = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // Gateway.Edge's appsettings.json lands in this folder too; its Kestrel endpoints are not ours.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var upstream = new Upstream(name, app);
        app.MapGet("/health/ready", upstream.Probe);
        map?.Invoke(app);
        app.Map("/{**path}", upstream.EchoAsync);
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        upstream.Url = new Uri(addresses.Addresses.Single());
        return upstream;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private IResult Probe()
    {
        var healthy = _healthy;
        // Signalled once the answer is decided; a probe that starts later proves this one's verdict was applied.
        Interlocked.Exchange(ref _probed, NewSignal()).TrySetResult();
        return healthy ? Results.Ok() : Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
    }

    private async Task EchoAsync(HttpContext context)
    {
        long bodyBytes = 0;
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            bodyBytes += read;
        }
        var echo = new Echo(
            Name,
            context.Request.Method,
            context.Request.Path.Value ?? string.Empty,
            context.Request.QueryString.Value ?? string.Empty,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            bodyBytes);
        context.Response.Headers["X-Upstream"] = Name;
        await context.Response.WriteAsJsonAsync(echo, context.RequestAborted);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>What an upstream saw of a request.</summary>
public sealed record Echo(string Upstream, string Method, string Path, string Query, Dictionary<string, string> Headers, long BodyBytes)
{
    public static async Task<Echo> ReadAsync(HttpResponseMessage response) =>
        JsonSerializer.Deserialize<Echo>(await response.Content.ReadAsStringAsync(), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
}
