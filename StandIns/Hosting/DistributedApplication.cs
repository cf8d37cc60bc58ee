using System.Runtime.InteropServices;
using McpPlatform.Hosting.ApplicationModel;
using McpPlatform.Hosting.Console;
using McpPlatform.Hosting.Orchestration;

namespace McpPlatform.Hosting;

/// <summary>
/// A built resource graph: <see cref="StartAsync"/> brings every resource to ready,
/// <see cref="StopAsync"/> (or disposal, or Ctrl+C / SIGTERM under <see cref="RunAsync"/>) stops
/// everything it started.
/// </summary>
public sealed class DistributedApplication : IAsyncDisposable
{
    private readonly DistributedApplicationOptions _options;
    private readonly IReadOnlyList<IResource> _resources;
    private readonly IReadOnlyDictionary<string, object?> _stateFileFields;
    private readonly Orchestrator _orchestrator;
    private readonly IConsoleView _view;
    private StateDirectory? _state;
    private int _stopped;

    internal DistributedApplication(DistributedApplicationOptions options, IReadOnlyList<IResource> resources, IReadOnlyDictionary<string, object?> stateFileFields)
    {
        _options = options;
        _resources = resources;
        _stateFileFields = stateFileFields;
        _view = ConsoleViews.For(options);
        _orchestrator = new Orchestrator(resources, new OrchestratorContext(options, _view));
        _orchestrator.Context.Changed += () => _view.StateChanged(_orchestrator.Snapshots);
    }

    /// <summary>Creates a builder from AppHost's command line (<c>--fresh</c>, <c>--state-file</c>, <c>--state-dir</c>, <c>--no-live</c>).</summary>
    /// <remarks>A bad command line prints the usage and exits with code 2.</remarks>
    public static DistributedApplicationBuilder CreateBuilder(string[] args)
    {
        var entry = System.Reflection.Assembly.GetEntryAssembly() ?? throw new InvalidOperationException("CreateBuilder needs an entry assembly.");
        try
        {
            return new DistributedApplicationBuilder(AppHostArguments.Parse(args, entry));
        }
        catch (DistributedApplicationException ex)
        {
            System.Console.Error.WriteLine(ex.Message);
            Environment.Exit(2);
            throw; // not reached
        }
    }

    /// <summary>The resources as they are now.</summary>
    public IReadOnlyList<ResourceSnapshot> Resources => _orchestrator.Snapshots;

    /// <summary>The address of <paramref name="resourceName"/>'s endpoint for one replica.</summary>
    public Uri GetEndpoint(string resourceName, string endpointName = "http", int replica = 0)
    {
        var snapshot = Resources.SingleOrDefault(r => r.Name == resourceName)
                       ?? throw new ArgumentException($"No resource named '{resourceName}'.", nameof(resourceName));
        return snapshot.Endpoints.TryGetValue(endpointName, out var urls) && replica < urls.Count
            ? new Uri(urls[replica])
            : throw new ArgumentException($"'{resourceName}' has no endpoint '{endpointName}' for replica {replica}.", nameof(endpointName));
    }

    /// <summary>The connection string of a database or cache resource (null when Redis is absent).</summary>
    public string? GetConnectionString(string resourceName) =>
        (_resources.OfType<IResourceWithConnectionString>().SingleOrDefault(r => r.Name == resourceName)
         ?? throw new ArgumentException($"No resource with a connection string named '{resourceName}'.", nameof(resourceName)))
        .ConnectionString;

    /// <summary>Shows <paramref name="text"/> to the person running the application (above the live table, if any).</summary>
    public void WriteMessage(string text) => _view.Message(text);

    /// <summary>Starts every resource and returns once all are ready; stops what it started if any fails.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await StartResourcesAsync(cancellationToken);
        AnnounceReady();
    }

    private async Task StartResourcesAsync(CancellationToken cancellationToken)
    {
        _state = StateDirectory.Open(_options.StateDirectory, _options.Fresh);
        try
        {
            await _orchestrator.StartAsync(cancellationToken);
        }
        catch
        {
            await StopAsync();
            throw;
        }
    }

    // The state file says "ready" last, so a script that waits for it finds everything else done.
    private void AnnounceReady()
    {
        _view.Ready(Resources);
        if (_options.StateFile is { } stateFile)
        {
            StateFileWriter.Write(stateFile, "ready", Resources, _stateFileFields);
        }
    }

    /// <summary>Stops everything, dependents before their dependencies.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }
        await _orchestrator.StopAsync();
        if (_options.StateFile is { } stateFile && File.Exists(stateFile))
        {
            StateFileWriter.Write(stateFile, "stopped", Resources, _stateFileFields);
        }
        _view.Dispose();
        _state?.Dispose();
    }

    /// <summary>
    /// Starts, then runs until Ctrl+C or SIGTERM, then stops everything. Returns the process exit code:
    /// 0 after a clean stop, 1 when a resource failed to start.
    /// </summary>
    public async Task<int> RunAsync(Action<DistributedApplication>? onReady = null)
    {
        if (_options.PublishDirectory is { } output)
        {
            foreach (var file in Publishing.Publisher.Write(_resources, output))
            {
                _view.Message($"wrote {Path.GetRelativePath(_options.RepositoryRoot, file)}");
            }
            return 0;
        }

        using var shutdown = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        try
        {
            await StartResourcesAsync(shutdown.Token);
            onReady?.Invoke(this);
            AnnounceReady();
            await Task.Delay(Timeout.Infinite, shutdown.Token).ContinueWith(static _ => { }, TaskScheduler.Default);
            _view.Notice("Stopping…");
            return 0;
        }
        catch (DistributedApplicationException ex)
        {
            _view.Failure(ex.Message);
            return 1;
        }
        catch (OperationCanceledException)
        {
            _view.Notice("Stopped before everything was ready.");
            return 0;
        }
        finally
        {
            await StopAsync();
        }

        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true; // we stop the children ourselves, then exit
            shutdown.Cancel();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync();
}
