using McpPlatform.Hosting;

namespace McpPlatform.TestSupport;

/// <summary>
/// The end of a fixture that started part of the topology with the testing builder in a state folder of its own:
/// stop every resource, check by PID (and process session) that none of their processes is left, and remove the
/// state folder. Shared by the collection fixtures that hold servers for a whole test collection.
/// </summary>
public static class StartedApplication
{
    /// <summary>Stops <paramref name="app"/> (when it was built) and removes <paramref name="state"/> (when made).</summary>
    /// <exception cref="InvalidOperationException">A process of the application outlived it (named in the message).</exception>
    public static async Task StopAsync(DistributedApplication? app, string? state)
    {
        IReadOnlyList<string> survivors = [];
        if (app is not null)
        {
            var pids = app.Resources.SelectMany(r => r.Pids).ToArray();
            await app.DisposeAsync();
            survivors = ProcessTable.Survivors(pids);
        }

        try
        {
            if (state is not null)
            {
                Directory.Delete(state, recursive: true);
            }
        }
        catch (IOException)
        {
            // A process still writing there is reported below; a folder left in /tmp is harmless otherwise.
        }

        if (survivors.Count > 0)
        {
            throw new InvalidOperationException($"Processes outlived the application: {string.Join("; ", survivors)}");
        }
    }
}
