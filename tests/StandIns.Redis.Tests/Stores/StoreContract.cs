namespace McpPlatform.Redis.Tests.Stores;

/// <summary>The base of the store suites: each suite runs once per backend (Redis and in-process).</summary>
public abstract class StoreContract : IAsyncLifetime
{
    private StoreBackend? _backend;

    protected StoreBackend Backend => _backend ?? throw new InvalidOperationException("Not initialised.");

    protected abstract StoreBackend CreateBackend();

    public Task InitializeAsync()
    {
        _backend = CreateBackend();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_backend is not null)
        {
            await _backend.DisposeAsync();
        }
    }

    protected static string NewKey() => Guid.NewGuid().ToString("N");
}
