using McpPlatform.Hosting;

namespace McpPlatform.AppHost;

/// <summary>
/// The platform's resource graph, read top to bottom: the data stores, then each service with
/// what it reaches (<c>WithReference</c>) and what must be ready first (<c>WaitFor</c>). AppHost
/// runs it; tests start it, or part of it, through the testing builder.
/// </summary>
public static class PlatformTopology
{
    /// <summary>Adds PostgreSQL, Redis and every service, wired as architecture.md describes; returns the development credentials.</summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="gatewayReplicas">Gateway.Edge replicas (any replica serves any session).</param>
    public static DevelopmentCredentials AddMcpPlatform(this DistributedApplicationBuilder builder, int gatewayReplicas = 1)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var credentials = DevelopmentCredentials.LoadOrCreate(builder.Options.StateDirectory);
        builder.StateFileFields["credentials"] = credentials.ForStateFile();

        var postgres = builder.AddPostgres("postgres");
        var accessDb = postgres.AddDatabase("accessdb");
        var identityDb = postgres.AddDatabase("identitydb");
        var redis = builder.AddRedis("redis");

        var accessApi = builder.AddProject("access-api", "Access.Api/Access.Api.csproj")
            .WithHttp2Endpoint("grpc")
            .WithReference(accessDb).WaitFor(accessDb)
            .WithReference(redis).WaitFor(redis)
            .WithEnvironment("Bootstrap__AdminEmail", credentials.AdminEmail)
            .WithEnvironment("Bootstrap__ApiKey", credentials.ApiKey)
            // Deployments only (locally: the development pepper, test keys): the pepper keys are hashed under is a
            // secret the deployment supplies; deployments accept live keys unless told otherwise.
            .WithDeploymentSecret("Access__KeyPepper")
            .WithDeploymentSetting("Access__Environment", "live");

        var identity = builder.AddProject("identity", "Identity/Identity.csproj")
            .WithReference(identityDb).WaitFor(identityDb)
            .WithReference(accessApi)
            .WithEnvironment("Bootstrap__AdminEmail", credentials.AdminEmail)
            .WithEnvironment("Bootstrap__AdminPassword", credentials.AdminPassword);

        var dispatcher = builder.AddProject("dispatcher", "Dispatcher.Grpc/Dispatcher.Grpc.csproj")
            .WithHttp2Endpoint("grpc")
            .WithReference(redis).WaitFor(redis);

        builder.AddProject("worker-host", "Worker.Host/Worker.Host.csproj")
            .WithHttp2Endpoint("grpc")
            .WithDockerfile("docker/worker-host.Dockerfile")
            .WithReference(dispatcher).WaitFor(dispatcher);

        builder.AddProject("gateway-edge", "Gateway.Edge/Gateway.Edge.csproj")
            .WithExternalHttpEndpoints()
            .WithReplicas(gatewayReplicas)
            .WithReference(redis).WaitFor(redis)
            .WithReference(dispatcher).WaitFor(dispatcher)
            .WithReference(accessApi).WaitFor(accessApi)
            .WithReference(identity).WaitFor(identity)
            .WithEnvironment("Gateway__DevelopmentApiKey", credentials.ApiKey)
            .WithEnvironment("Gateway__AnonymousServers__0", "conformance");

        return credentials;
    }
}
