using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlatform.Gateway.Edge.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace McpPlatform.Gateway.Access.Tests.Infrastructure;

/// <summary>
/// One gateway replica's access layer, composed exactly as Gateway.Edge composes it (<c>AddGatewayAccess</c>,
/// <c>MapGatewayAccess</c>), on 127.0.0.1:0, with one test endpoint standing in for the MCP layer:
/// <c>POST /test/mcp/{server}</c> with <c>{"method", "name", "tools"}</c> authenticates, authorizes, filters the tool
/// names as tools/list would, records usage for a tools/call, and answers a denial the way the MCP layer renders it.
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayHost(WebApplication app, Uri address)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = address };
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a replica; <paramref name="time"/> replaces the system clock (the access layer's only clock).</summary>
    public static async Task<GatewayHost> StartAsync(Uri? accessGrpc, string? redis, IDictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        ListenOptions? http = null;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => (http = listen).Protocols = HttpProtocols.Http1));
        var config = new Dictionary<string, string?>
        {
            ["Gateway:AnonymousServers:0"] = "open",
            ["Gateway:Access:Mode"] = "AccessApi",
        };
        if (accessGrpc is not null)
        {
            config["services:access-api:grpc:0"] = accessGrpc.ToString();
        }

        if (redis is not null)
        {
            config["ConnectionStrings:redis"] = redis;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(config);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.AddGatewayAccess();
        var app = builder.Build();
        app.MapGatewayAccess();
        app.MapPost("/test/mcp/{server}", HandleAsync);
        await app.StartAsync();
        return new GatewayHost(app, new Uri($"http://127.0.0.1:{http!.IPEndPoint!.Port}"));
    }

    /// <summary>Sends one message as <paramref name="key"/> (null: no Authorization header).</summary>
    public async Task<HttpResponseMessage> CallAsync(string server, string? key, string method = "tools/call", string? name = "echo", string[]? tools = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/test/mcp/{server}")
        {
            Content = JsonContent.Create(new { method, name, tools }),
        };
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
        }

        return await Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task HandleAsync(HttpContext context, string server, ICallerAuthenticator authenticator, ICallPolicy policy, IUsageSink usage)
    {
        var body = await JsonSerializer.DeserializeAsync<JsonObject>(context.Request.Body) ?? [];
        var method = (string?)body["method"] ?? "tools/call";
        var name = (string?)body["name"];
        var started = DateTimeOffset.UtcNow;
        var authentication = await authenticator.AuthenticateAsync(context, server, context.RequestAborted);
        if (authentication.Denial is { } denied)
        {
            await DenyAsync(context, denied);
            return;
        }

        var caller = authentication.Caller!;
        if (await policy.AuthorizeAsync(caller, server, method, name, context.RequestAborted) is { } refused)
        {
            await DenyAsync(context, refused);
            return;
        }

        var tools = body["tools"] is JsonArray list
            ? list.Select(t => (string)t!).Where(tool => policy.MayCallTool(caller, server, tool)).ToArray()
            : [];
        if (method == "tools/call")
        {
            usage.Record(new UsageRecord(caller, server, method, name, null, DateTimeOffset.UtcNow - started, "ok", context.Request.ContentLength ?? 0, 2, DateTimeOffset.UtcNow));
        }

        await context.Response.WriteAsJsonAsync(new { principal = caller.PrincipalId, keyId = caller.KeyId, anonymous = caller.IsAnonymous, tools });
    }

    private static Task DenyAsync(HttpContext context, AccessDenial denial)
    {
        context.Response.StatusCode = denial.StatusCode;
        if (denial.WwwAuthenticate is { } challenge)
        {
            context.Response.Headers.WWWAuthenticate = challenge;
        }

        if (denial.RetryAfter is { } retry)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return context.Response.WriteAsJsonAsync(new
        {
            jsonrpc = "2.0",
            id = (object?)null,
            error = new { code = denial.JsonRpcCode, message = denial.Message, data = new { reason = denial.Reason } },
        });
    }
}
