using McpPlatform.TestSupport;
using Xunit.Abstractions;

namespace McpPlatform.Identity.Tests;

public sealed class ServiceTests(ITestOutputHelper output) : DatabaseServiceTests(output)
{
    protected override string Resource => "identity";

    protected override string ProjectPath => "Identity/Identity.csproj";

    protected override string Database => "identitydb";
}
