using System.Text.Json;

namespace McpPlatform.Hosting.Orchestration;

/// <summary>
/// Writes the JSON that scripts and benchmarks read to drive a running platform:
/// <c>{"state":"ready","resources":{"name":{"state":"ready","urls":[…],"endpoints":{…},"pids":[…]}},…extra fields}</c>.
/// Written to a temporary file and renamed, so a reader never sees half a file.
/// </summary>
internal static class StateFileWriter
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public static void Write(string path, string state, IReadOnlyList<ResourceSnapshot> resources, IReadOnlyDictionary<string, object?> extraFields)
    {
        var document = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["state"] = state,
            ["writtenAt"] = DateTimeOffset.UtcNow,
            ["resources"] = resources.ToDictionary(
                r => r.Name,
                r => new Dictionary<string, object?>
                {
                    ["kind"] = r.Kind,
                    ["state"] = r.State.ToString().ToLowerInvariant(),
                    ["urls"] = r.Urls,
                    ["endpoints"] = r.Endpoints,
                    ["pids"] = r.Pids,
                    ["detail"] = r.Detail,
                    ["connectionString"] = r.ConnectionString,
                }),
        };
        foreach (var (key, value) in extraFields)
        {
            document[key] = value;
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        File.WriteAllText(temporary, JsonSerializer.Serialize(document, Options));
        File.Move(temporary, path, overwrite: true);
    }
}
