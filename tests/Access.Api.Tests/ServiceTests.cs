using Grpc.Net.Client;
using McpPlatform.Contracts.Access.V1;
using McpPlatform.Contracts.Keys;
using McpPlatform.Hosting;
using McpPlatform.Hosting.ApplicationModel;
using McpPlatform.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace McpPlatform.Access.Api.Tests;

public sealed class ServiceTests(ITestOutputHelper output) : DatabaseServiceTests(output)
{
    private readonly ITestOutputHelper _output = output;

    protected override string Resource => "access-api";

    protected override string ProjectPath => "Access.Api/Access.Api.csproj";

    protected override string Database => "accessdb";

    protected override IResourceBuilder<ProjectResource> Configure(IResourceBuilder<ProjectResource> project) =>
        project.WithHttp2Endpoint("grpc");

    [Fact]
    public async Task AsAppHostStartsIt_TheBootstrapKeyValidatesOverGrpc()
    {
        var key = ApiKeyFormat.Generate(ApiKeyEnvironment.Test);
        await using var service = await ServiceUnderTest.StartAsync(_output, builder =>
        {
            var database = builder.AddPostgres("postgres").AddDatabase(Database);
            Configure(builder.AddProject(Resource, ProjectPath))
                .WithEnvironment("Bootstrap__AdminEmail", "admin@mcpplatform.local")
                .WithEnvironment("Bootstrap__ApiKey", key)
                .WithReference(database).WaitFor(database);
        });

        using var channel = GrpcChannel.ForAddress(service.App.GetEndpoint(Resource, "grpc"));
        var response = await new Contracts.Access.V1.Access.AccessClient(channel).ValidateKeyAsync(new ValidateKeyRequest { ApiKey = key, Server = "echo" });

        Assert.Equal(["admin"], response.Principal.Roles);
        Assert.Equal("pro", response.Principal.Plan.PlanId);
    }
}
