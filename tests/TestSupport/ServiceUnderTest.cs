using System.Text.Json;
using McpPlatform.Hosting;
using McpPlatform.Hosting.Testing;
using Xunit;
using Xunit.Abstractions;

namespace McpPlatform.TestSupport;

/// <summary>
/// Part of the real topology started with the testing builder in a state folder of its own,
/// stopped (and checked by PID to be gone) and cleaned up on dispose.
/// </summary>
public sealed class ServiceUnderTest : IAsyncDisposable
{
    private readonly string _state;

    private ServiceUnderTest(DistributedApplication app, string state)
    {
        App = app;
        _state = state;
    }

    public DistributedApplication App { get; }

    /// <summary>The log folder AppHost writes each resource's output to.</summary>
    public string LogFile(string resource) => Path.Combine(_state, "logs", resource + ".log");

    public static async Task<ServiceUnderTest> StartAsync(ITestOutputHelper output, Action<DistributedApplicationBuilder> configure)
    {
        var state = DistributedApplicationTestingBuilder.NewStateDirectory();
        var builder = DistributedApplicationTestingBuilder.Create(typeof(ServiceUnderTest).Assembly, Safe(output), state);
        configure(builder);
        var app = builder.Build();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            Directory.Delete(state, recursive: true);
            throw;
        }
        return new ServiceUnderTest(app, state);
    }

    /// <summary>Every line of a resource's log that is a JSON object (the services' structured logs).</summary>
    public IReadOnlyList<JsonElement> JsonLogLines(string resource) =>
        File.ReadLines(LogFile(resource))
            .Where(line => line.StartsWith('{'))
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .ToArray();

    public async ValueTask DisposeAsync()
    {
        var pids = App.Resources.SelectMany(r => r.Pids).ToArray();
        await App.DisposeAsync();
        Assert.Empty(ProcessTable.Survivors(pids));
        try
        {
            Directory.Delete(_state, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static Action<string> Safe(ITestOutputHelper output) => line =>
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
        }
    };
}
