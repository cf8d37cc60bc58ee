using System.Security.Cryptography.X509Certificates;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace McpPlatform.StandIns.Grpc.Tests.Infrastructure;

/// <summary>Our gRPC server on Kestrel, h2c on a random 127.0.0.1 port, serving <see cref="EchoService"/>.</summary>
public sealed class GrpcTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GrpcTestServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public int Port => Address.Port;

    public CallRecorder Calls => _app.Services.GetRequiredService<CallRecorder>();

    public IServiceProvider Services => _app.Services;

    public static async Task<GrpcTestServer> StartAsync(Action<GrpcServiceOptions>? configure = null, Action<WebApplication>? map = null, X509Certificate2? certificate = null, int port = 0, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(System.Net.IPAddress.Loopback, port, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
        });
        builder.Services.AddSingleton<CallRecorder>();
        builder.Services.AddGrpc(options =>
        {
            options.MaxReceiveMessageSize = 32 * 1024 * 1024;
            configure?.Invoke(options);
        });
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapGrpcService<EchoService>();
        map?.Invoke(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new GrpcTestServer(app, new Uri(address));
    }

    /// <summary>Stops at once: open streams are reset rather than drained (a crashed or killed server, as the client sees it).</summary>
    public async Task AbortAsync() => await _app.StopAsync(new CancellationToken(canceled: true));

    /// <summary>Stops gracefully (what SIGTERM does): in-flight calls may finish.</summary>
    public async Task StopAsync() => await _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
