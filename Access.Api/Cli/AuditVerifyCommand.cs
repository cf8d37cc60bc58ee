using McpPlatform.Access.Api.Audit;
using Npgsql;

namespace McpPlatform.Access.Api.Cli;

/// <summary>
/// <c>dotnet Access.Api.dll audit verify [--connection-string "Host=…"]</c>: walks the audit chain without starting the
/// service, prints "audit chain intact: N rows" (exit 0) or the first broken link (exit 1); exit 2 for a usage or
/// connection error. Without --connection-string it reads ConnectionStrings__accessdb from the environment.
/// </summary>
internal static class AuditVerifyCommand
{
    public static bool Matches(string[] args) => args is ["audit", "verify", ..];

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__accessdb");
        for (var i = 2; i < args.Length; i++)
        {
            if (args[i] == "--connection-string" && i + 1 < args.Length)
            {
                connectionString = args[++i];
            }
            else
            {
                await error.WriteLineAsync($"Unknown argument '{args[i]}'. Usage: audit verify [--connection-string \"Host=…;Database=accessdb;…\"]").ConfigureAwait(false);
                return 2;
            }
        }

        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await error.WriteLineAsync("No database: pass --connection-string or set ConnectionStrings__accessdb.").ConfigureAwait(false);
            return 2;
        }

        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync().ConfigureAwait(false);
            var result = await AuditVerifier.VerifyAsync(connection, CancellationToken.None).ConfigureAwait(false);
            await output.WriteLineAsync(result.ToString()).ConfigureAwait(false);
            return result.Intact ? 0 : 1;
        }
        catch (Exception exception) when (exception is NpgsqlException or ArgumentException or TimeoutException)
        {
            await error.WriteLineAsync("Cannot read the audit log: " + exception.Message).ConfigureAwait(false);
            return 2;
        }
    }
}
