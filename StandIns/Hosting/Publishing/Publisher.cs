using McpPlatform.Hosting.ApplicationModel;

namespace McpPlatform.Hosting.Publishing;

/// <summary>
/// Writes every deployment artifact the model describes into one folder:
/// <c>compose.yaml</c>, <c>{postgres}/init/01-databases.sql</c>, <c>ecs/{project}.task-definition.json</c>
/// and <c>ecs/{project}.service.json</c>. One source of truth for the topology.
/// </summary>
public static class Publisher
{
    /// <summary>The artifacts, by path relative to the output folder.</summary>
    public static IReadOnlyDictionary<string, string> Render(IReadOnlyList<IResource> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["compose.yaml"] = ComposePublisher.Render(resources),
        };
        foreach (var postgres in resources.OfType<PostgresServerResource>())
        {
            files[$"{postgres.Name}/init/01-databases.sql"] = ComposePublisher.PostgresInitScript(postgres);
        }
        foreach (var project in resources.OfType<ProjectResource>())
        {
            files[$"ecs/{project.Name}.task-definition.json"] = EcsPublisher.TaskDefinition(project);
            files[$"ecs/{project.Name}.service.json"] = EcsPublisher.Service(project);
        }
        return files;
    }

    /// <summary>Writes the artifacts under <paramref name="outputDirectory"/>.</summary>
    public static IReadOnlyList<string> Write(IReadOnlyList<IResource> resources, string outputDirectory)
    {
        var written = new List<string>();
        foreach (var (path, content) in Render(resources))
        {
            var full = Path.Combine(outputDirectory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
            written.Add(full);
        }
        return written;
    }
}
