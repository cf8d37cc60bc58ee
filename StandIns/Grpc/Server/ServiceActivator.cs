using Microsoft.Extensions.DependencyInjection;

namespace McpPlatform.StandIns.Grpc.Server;

/// <summary>Gets the service for a call: from DI when registered, otherwise created per call (and disposed after it), as grpc-dotnet does.</summary>
internal sealed class ServiceActivator<TService>
    where TService : class
{
    private readonly ObjectFactory<TService> _factory = ActivatorUtilities.CreateFactory<TService>([]);

    public (TService Service, bool Created) Create(IServiceProvider services)
    {
        var registered = services.GetService<TService>();
        return registered is not null ? (registered, false) : (_factory(services, null), true);
    }

    public static async ValueTask ReleaseAsync(TService service)
    {
        switch (service)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }
}
