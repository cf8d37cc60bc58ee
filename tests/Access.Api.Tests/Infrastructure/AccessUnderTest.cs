using System.Net;
using Grpc.Net.Client;
using McpPlatform.Access.Api.Data;
using McpPlatform.Access.Api.Extensions;
using McpPlatform.Access.Api.Keys;
using McpPlatform.Contracts.Keys;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using AccessClient = McpPlatform.Contracts.Access.V1.Access.AccessClient;

namespace McpPlatform.Access.Api.Tests.Infrastructure;

/// <summary>
/// Access.Api's real composition (AddApplicationServices + MapAccess) in this process, in Development, on an HTTP/1.1
/// endpoint (REST) and an h2c endpoint (gRPC) at 127.0.0.1:0, over a database of its own.
/// </summary>
public sealed class AccessUnderTest : IAsyncDisposable
{
    public const string AdminEmail = "admin@example.test";

    private readonly WebApplication _app;

    private AccessUnderTest(WebApplication app, ManualTime time, string database, string rest, string grpc, string adminKey)
    {
        _app = app;
        Time = time;
        Database = database;
        AdminKey = adminKey;
        Rest = new HttpClient { BaseAddress = new Uri(rest) };
        Channel = GrpcChannel.ForAddress(grpc);
        Client = new AccessClient(Channel);
    }

    /// <summary>A superuser connection string to this instance's database.</summary>
    public string Database { get; }

    /// <summary>The service's clock (still until moved).</summary>
    public ManualTime Time { get; }

    /// <summary>The bootstrap admin's key.</summary>
    public string AdminKey { get; }

    public HttpClient Rest { get; }

    public GrpcChannel Channel { get; }

    public AccessClient Client { get; }

    internal IServiceProvider Services => _app.Services;

    internal T Get<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>Starts an instance on a new database (or <paramref name="database"/>) and waits until it is ready.</summary>
    public static async Task<AccessUnderTest> StartAsync(
        PlatformServers servers,
        string? database = null,
        bool withRedis = false,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        database ??= await servers.NewDatabaseAsync();
        var adminKey = ApiKeyFormat.Generate(ApiKeyEnvironment.Test);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        ListenOptions? rest = null, grpc = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => (rest = listen).Protocols = HttpProtocols.Http1);
            kestrel.Listen(IPAddress.Loopback, 0, listen => (grpc = listen).Protocols = HttpProtocols.Http2);
        });
        var config = new Dictionary<string, string?>
        {
            ["ConnectionStrings:accessdb"] = database,
            ["Bootstrap:AdminEmail"] = AdminEmail,
            ["Bootstrap:ApiKey"] = adminKey,
            ["Stores:KeyPrefix"] = "test-" + Guid.NewGuid().ToString("N")[..8] + ":",
        };
        if (withRedis)
        {
            config["ConnectionStrings:redis"] = servers.Redis;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(config);
        var time = new ManualTime();
        builder.Services.AddSingleton<TimeProvider>(time);
        services?.Invoke(builder.Services);
        builder.AddApplicationServices();
        var app = builder.Build();
        app.MapAccess();
        var state = app.Services.GetRequiredService<DatabaseState>();
        try
        {
            await app.StartAsync();
            await state.Ready.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (OperationCanceledException) when (state.Ready.IsFaulted)
        {
            // The service stopped itself during start (as a failed migration must): surface why.
            await app.DisposeAsync();
            await state.Ready;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new AccessUnderTest(app, time, database, $"http://127.0.0.1:{rest!.IPEndPoint!.Port}", $"http://127.0.0.1:{grpc!.IPEndPoint!.Port}", adminKey);
    }

    /// <summary>Opens a superuser connection to this instance's database.</summary>
    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Creates a user (directly, as an admin would) and a key for it.</summary>
    internal async Task<(Guid UserId, CreatedKey Key)> UserWithKeyAsync(string plan = "free", NewKey? key = null, string? email = null)
    {
        var userId = Guid.NewGuid();
        await using (var connection = await OpenAsync())
        await using (var command = new NpgsqlCommand("INSERT INTO users (id, email, plan_id) VALUES (@id, @email, @plan)", connection))
        {
            command.Parameters.AddWithValue("id", userId);
            command.Parameters.AddWithValue("email", email ?? $"user-{userId:N}@example.test");
            command.Parameters.AddWithValue("plan", plan);
            await command.ExecuteNonQueryAsync();
        }

        var created = await Get<KeyStore>().CreateAsync(userId, key ?? new NewKey("test key", [], null, null), "test", "127.0.0.1", CancellationToken.None);
        return (userId, created);
    }

    public async ValueTask DisposeAsync()
    {
        Rest.Dispose();
        Channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
