using System.Diagnostics;
using Dapper;
using McpPlatform.Access.Api.Data;
using McpPlatform.Access.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace McpPlatform.Access.Api.Tests.Data;

[Collection(PlatformCollection.Name)]
public sealed class MigrationTests(PlatformServers servers)
{
    private static async Task<T> ScalarAsync<T>(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        return (await connection.ExecuteScalarAsync<T>(sql))!;
    }

    [Fact]
    public async Task SecondStartOnTheSameDatabase_AppliesNothing_AndBootstrapsOnce()
    {
        var database = await servers.NewDatabaseAsync();
        await using (await AccessUnderTest.StartAsync(servers, database))
        {
        }

        await using var second = await AccessUnderTest.StartAsync(servers, database);

        Assert.Equal(Migration.Embedded().Count, await ScalarAsync<long>(database, "SELECT count(*) FROM schema_migrations"));
        Assert.Equal(2, await ScalarAsync<long>(database, "SELECT count(*) FROM plans"));
        // Each start bootstraps its own key for the same admin: one user, two keys, and the chain still holds.
        Assert.Equal(1, await ScalarAsync<long>(database, $"SELECT count(*) FROM users WHERE email = '{AccessUnderTest.AdminEmail}'"));
        Assert.Equal(2, await ScalarAsync<long>(database, "SELECT count(*) FROM api_keys"));
        Assert.Equal(3, await ScalarAsync<long>(database, "SELECT count(*) FROM audit_log"));
    }

    [Fact]
    public async Task ReplicasStartingTogether_ApplyEachMigrationOnce()
    {
        var database = await servers.NewDatabaseAsync();
        var starts = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => AccessUnderTest.StartAsync(servers, database)));
        foreach (var start in starts)
        {
            await start.DisposeAsync();
        }

        Assert.Equal(Migration.Embedded().Count, await ScalarAsync<long>(database, "SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task BrokenMigration_StopsStart_NamesTheFile_AndRollsBack()
    {
        var database = await servers.NewDatabaseAsync();
        var broken = new Migration("0999_broken.sql", "CREATE TABLE half_done (id int); SELECT * FROM no_such_table;");
        var failure = await Assert.ThrowsAsync<MigrationException>(() => AccessUnderTest.StartAsync(servers, database,
            services: s => s.AddSingleton<IMigrationSource>(new FixedMigrations([.. Migration.Embedded(), broken]))));

        Assert.Contains("0999_broken.sql failed", failure.Message, StringComparison.Ordinal);
        Assert.Contains("no_such_table", failure.Message, StringComparison.Ordinal);
        Assert.False(await ScalarAsync<bool>(database, "SELECT to_regclass('half_done') IS NOT NULL"));
        Assert.Equal(0, await ScalarAsync<long>(database, "SELECT count(*) FROM schema_migrations WHERE name = '0999_broken.sql'"));
    }

    [Fact]
    public async Task EditedMigration_StopsTheRealProcess_WithExitCodeOneAndAClearMessage()
    {
        var database = await servers.NewDatabaseAsync();
        await using (await AccessUnderTest.StartAsync(servers, database))
        {
        }

        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.ExecuteAsync("UPDATE schema_migrations SET checksum = 'deadbeefdeadbeef' WHERE name = '0001_initial.sql'");
        }

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Access.Api.dll"));
        start.Environment["ConnectionStrings__accessdb"] = database;
        start.Environment["Kestrel__Endpoints__http__Url"] = "http://127.0.0.1:0";
        start.Environment["Kestrel__Endpoints__grpc__Url"] = "http://127.0.0.1:0";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        var text = await output + await error;
        Assert.Equal(1, process.ExitCode);
        Assert.Contains("Migration 0001_initial.sql was edited after it was applied", text, StringComparison.Ordinal);
    }

    private sealed class FixedMigrations(IReadOnlyList<Migration> migrations) : IMigrationSource
    {
        public IReadOnlyList<Migration> Migrations() => migrations;
    }
}
