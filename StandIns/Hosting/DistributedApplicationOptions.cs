namespace McpPlatform.Hosting;

/// <summary>How a distributed application runs: where its state lives and how it reports.</summary>
public sealed class DistributedApplicationOptions
{
    /// <summary>The repository root; project paths are relative to it.</summary>
    public required string RepositoryRoot { get; init; }

    /// <summary>Data directories, generated secrets and logs; kept across runs.</summary>
    public required string StateDirectory { get; init; }

    /// <summary>When set, <c>RunAsync</c> writes the deployment artifacts here instead of starting anything.</summary>
    public string? PublishDirectory { get; init; }

    /// <summary>Delete the state directory before starting.</summary>
    public bool Fresh { get; init; }

    /// <summary>Where to write the JSON description of the running application once it is ready.</summary>
    public string? StateFile { get; init; }

    /// <summary>Show a live table (a terminal) rather than plain lines.</summary>
    public bool Interactive { get; init; }

    /// <summary>Show resource logs on the console (they always go to <c>{state}/logs</c>).</summary>
    public bool ShowResourceLogs { get; init; } = true;

    /// <summary>The build configuration of the projects to run (Debug or Release).</summary>
    public string Configuration { get; init; } = "Debug";

    /// <summary>Time allowed for one resource to become ready.</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Time a resource gets to stop after its stop signal before it is killed.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Look for a Docker or Podman engine and prefer containers for PostgreSQL and Redis.</summary>
    public bool UseContainers { get; init; } = true;

    /// <summary>Where log lines go when the console is not used (tests).</summary>
    public Action<string>? LogSink { get; init; }
}
