using System.Diagnostics;
using McpPlatform.Worker.Host.Catalog;
using McpPlatform.Worker.Host.Processes;

namespace McpPlatform.Worker.Host.Pool;

/// <summary>
/// What a slot's process starts with: its working directory and an environment built from scratch
/// (a short allow-list of the host's variables, never its secrets), the catalog's Env, the tenant's Env,
/// and <c>MCP_WORKSPACE</c> / <c>MCP_TENANT_ID</c>. <c>{tenant}</c>, <c>{workspace}</c>, <c>{repo}</c>, <c>{npm}</c>
/// (the npm servers' cache) and <c>{configuration}</c> (the build configuration of this host, which is the samples'
/// too) are substituted in Command, Args and Env values.
/// </summary>
internal static class SlotEnvironment
{
    public const string WorkspaceVariable = "MCP_WORKSPACE";
    public const string TenantVariable = "MCP_TENANT_ID";

    private static readonly string BuildConfiguration =
        typeof(SlotEnvironment).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
            .OfType<System.Reflection.AssemblyConfigurationAttribute>().FirstOrDefault()?.Configuration is { Length: > 0 } configuration
            ? configuration
            : "Debug";

    private static readonly string[] Inherited =
        ["PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "USER", "DOTNET_ROOT", "DOTNET_CLI_HOME", "DOTNET_NOLOGO", "NODE_PATH", "NODE_OPTIONS"];

    public static (ProcessStartInfo Info, IReadOnlyDictionary<string, string> Environment) Describe(
        ServerDefinition definition, string workspace, string? tenant, CatalogPaths paths)
    {
        string Expand(string value) => paths.Expand(value
            .Replace("{tenant}", tenant ?? string.Empty, StringComparison.Ordinal)
            .Replace("{workspace}", workspace, StringComparison.Ordinal)
            .Replace("{configuration}", BuildConfiguration, StringComparison.Ordinal));

        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in Inherited)
        {
            if (System.Environment.GetEnvironmentVariable(name) is { } value)
            {
                environment[name] = value;
            }
        }

        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in definition.Env)
        {
            environment[key] = Expand(value);
        }

        if (tenant is not null)
        {
            if (definition.TenantEnv.TryGetValue(tenant, out var tenantEnv))
            {
                foreach (var (key, value) in tenantEnv)
                {
                    environment[key] = Expand(value);
                }
            }

            environment[TenantVariable] = tenant;
        }

        environment[WorkspaceVariable] = workspace;
        var workingDirectory = definition.WorkingDirectoryPolicy switch
        {
            WorkingDirectoryPolicy.Fixed => definition.WorkingDirectory!,
            WorkingDirectoryPolicy.Inherit => System.Environment.CurrentDirectory,
            _ => workspace,
        };
        var info = StdioCommand.Describe(Expand(definition.Command), definition.Args.Select(Expand), workingDirectory, environment);
        return (info, environment);
    }
}
