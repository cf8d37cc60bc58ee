using McpPlatform.Hosting;
using McpPlatform.Hosting.ApplicationModel;
using McpPlatform.TestSupport;
using Xunit.Abstractions;

namespace McpPlatform.Access.Api.Tests;

public sealed class ServiceTests(ITestOutputHelper output) : DatabaseServiceTests(output)
{
    protected override string Resource => "access-api";

    protected override string ProjectPath => "Access.Api/Access.Api.csproj";

    protected override string Database => "accessdb";

    protected override IResourceBuilder<ProjectResource> Configure(IResourceBuilder<ProjectResource> project) =>
        project.WithHttp2Endpoint("grpc");
}
