using System.Text.RegularExpressions;
using McpPlatform.Hosting.ApplicationModel;
using McpPlatform.Hosting.Orchestration;
using McpPlatform.Hosting.Processes;
using Npgsql;
using McpPlatform.Processes;

namespace McpPlatform.Hosting.Infrastructure;

/// <summary>
/// PostgreSQL: an external server when a connection string is given; else a container when an
/// engine answers; else the local binaries (initdb once, then postgres, as an unprivileged user
/// when we are root); else a clear error naming what to install.
/// </summary>
internal sealed partial class PostgresRun(PostgresServerResource server, OrchestratorContext context)
    : ServerRun(server, context)
{
    public override string Kind => "postgres";

    // SIGINT is PostgreSQL's "fast shutdown": roll back open transactions, checkpoint, exit.
    protected override int StopSignal => Posix.SIGINT;

    public override void Prepare()
    {
        if (server.ExternalConnectionString is { } external)
        {
            server.ConnectionString = external;
            return;
        }
        AllocatePortAndPassword();
        server.ConnectionString = $"Host=127.0.0.1;Port={PortText};Username=postgres;Password={Password}";
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        SetState(ResourceState.Starting);
        OpenLog();
        if (server.ExternalConnectionString is null)
        {
            if (Context.ContainerEngine is { } engine)
            {
                await StartContainerAsync(engine);
            }
            else
            {
                await StartLocalAsync(cancellationToken);
            }
            SetState(ResourceState.Running);
        }
        else
        {
            SetState(ResourceState.Running, "external server");
        }

        await WaitUntilAcceptingAsync(cancellationToken);
        await CreateDatabasesAsync(cancellationToken);
        MarkReady();
    }

    private async Task StartContainerAsync(ContainerEngine engine)
    {
        var data = Path.Combine(DataRoot, "container-data");
        Directory.CreateDirectory(data);
        await StartContainerAsync(engine, 5432, server.Image,
            ["-e", $"POSTGRES_PASSWORD={Password}", "-v", $"{data}:/var/lib/postgresql/data"], []);
        SetState(ResourceState.Starting, $"container {server.Image} ({Path.GetFileName(engine.Client)})");
    }

    private async Task StartLocalAsync(CancellationToken cancellationToken)
    {
        var bin = FindBinaries() ?? throw new DistributedApplicationException(
            "PostgreSQL is not installed: no initdb/postgres under /usr/lib/postgresql/*/bin or on PATH, and no Docker or " +
            "Podman engine answers. Install it (Debian: apt-get install -y postgresql), start a container engine, or set " +
            $"ConnectionStrings__{Resource.Name} to an existing server.");
        var user = Posix.IsRoot
            ? UnixUsers.FirstExisting("postgres", "nobody") ?? throw new DistributedApplicationException(
                "PostgreSQL refuses to run as root and there is no 'postgres' or 'nobody' user to run it as. Create one (useradd postgres).")
            : null;
        var data = Path.Combine(DataRoot, "data");

        if (!File.Exists(Path.Combine(data, "PG_VERSION")))
        {
            await InitDbAsync(bin, data, user, cancellationToken);
        }

        Process = await ManagedProcess.StartAsync(
            new ProcessSpec(Path.Combine(bin, "postgres"),
                ["-D", data, "-p", PortText,
                 "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"],
                DataRoot, new Dictionary<string, string?> { ["LC_ALL"] = "C.UTF-8" }, user),
            Log!.Write);
        SetState(ResourceState.Starting, $"local {bin}{(user is null ? string.Empty : $" as {user}")}");
    }

    private async Task InitDbAsync(string bin, string data, string? user, CancellationToken cancellationToken)
    {
        SetState(ResourceState.Starting, "initdb");
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true); // a half-made cluster from an interrupted initdb
        }
        Directory.CreateDirectory(data);
        var passwordFile = Path.Combine(DataRoot, "initdb-password");
        await File.WriteAllTextAsync(passwordFile, Password, cancellationToken);
        if (user is not null)
        {
            UnixUsers.AllowTraversal(DataRoot, Context.Options.StateDirectory);
            UnixUsers.Chown(data, user);
            UnixUsers.Chown(passwordFile, user);
        }
        try
        {
            await using var initdb = await ManagedProcess.StartAsync(
                new ProcessSpec(Path.Combine(bin, "initdb"),
                    ["-D", data, "-U", "postgres", "--pwfile", passwordFile, "--auth-host=scram-sha-256",
                     "--auth-local=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"],
                    DataRoot, new Dictionary<string, string?> { ["LC_ALL"] = "C.UTF-8" }, user),
                Log!.Write);
            var exitCode = await initdb.Exited.WaitAsync(cancellationToken);
            if (exitCode != 0)
            {
                throw new DistributedApplicationException($"initdb failed with exit code {exitCode}:{Environment.NewLine}{Log.Tail()}");
            }
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    private async Task WaitUntilAcceptingAsync(CancellationToken cancellationToken)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Pooling = false, Timeout = 3 }.ConnectionString;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Context.Options.StartupTimeout);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        while (true)
        {
            if (Process?.Exited.IsCompleted == true)
            {
                throw new DistributedApplicationException($"postgres exited with code {Process.Exited.Result}:{Environment.NewLine}{Log!.Tail()}");
            }
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(deadline.Token);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or IOException)
            {
                if (ex is PostgresException { SqlState: "28P01" })
                {
                    throw new DistributedApplicationException(
                        $"PostgreSQL rejected the password kept in {Path.Combine(DataRoot, "password")}. Start with --fresh to recreate the data directory.");
                }
            }
            if (!await timer.WaitForNextTickAsync(deadline.Token))
            {
                return;
            }
        }
    }

    private async Task CreateDatabasesAsync(CancellationToken cancellationToken)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Pooling = false, Database = "postgres" }.ConnectionString;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        foreach (var database in server.Databases)
        {
            if (!DatabaseName().IsMatch(database.DatabaseName))
            {
                throw new DistributedApplicationException($"'{database.DatabaseName}' is not a valid database name: use lower-case letters, digits and '_'.");
            }
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection)
            {
                Parameters = { new() { Value = database.DatabaseName } },
            };
            if (await exists.ExecuteScalarAsync(cancellationToken) is null)
            {
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.DatabaseName}\"", connection);
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    private static string? FindBinaries()
    {
        var versions = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(dir => Path.Combine(dir, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "postgres")) && File.Exists(Path.Combine(bin, "initdb")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var v) ? v : 0)
            : Enumerable.Empty<string>();
        return versions.FirstOrDefault()
               ?? (ExecutableSearch.Find("initdb") is { } initdb && ExecutableSearch.Find("postgres") is not null ? Path.GetDirectoryName(initdb) : null);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex DatabaseName();
}
