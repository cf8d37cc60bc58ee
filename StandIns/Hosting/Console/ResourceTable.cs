using McpPlatform.Hosting.Orchestration;
using Spectre.Console;

namespace McpPlatform.Hosting.Console;

/// <summary>The table of resources, their states and URLs.</summary>
internal static class ResourceTable
{
    public static Table Build(IReadOnlyList<ResourceSnapshot> resources)
    {
        var table = new Table().Border(TableBorder.Rounded).Expand();
        table.AddColumn("Resource");
        table.AddColumn("State");
        table.AddColumn("URLs");
        table.AddColumn("Detail");
        foreach (var resource in resources.Where(r => r.Kind != "postgres-database"))
        {
            table.AddRow(
                new Markup(Markup.Escape(resource.Name)),
                new Markup(StateMarkup(resource.State)),
                new Markup(Markup.Escape(Urls(resource))),
                new Markup(Markup.Escape(FirstLine(resource.Detail))));
        }
        return table;
    }

    public static string StateMarkup(ResourceState state) => state switch
    {
        ResourceState.Ready => "[green]ready[/]",
        ResourceState.Failed => "[red]failed[/]",
        ResourceState.Absent => "[yellow]absent[/]",
        ResourceState.Running or ResourceState.Starting => $"[blue]{state.ToString().ToLowerInvariant()}[/]",
        _ => $"[grey]{state.ToString().ToLowerInvariant()}[/]",
    };

    // One line per address; with several endpoints each line says which ("grpc: http://…").
    private static string Urls(ResourceSnapshot resource) =>
        string.Join(Environment.NewLine, resource.Endpoints.Count > 1
            ? resource.Endpoints.SelectMany(e => e.Value.Select(url => $"{e.Key}: {url}"))
            : resource.Urls);

    private static string FirstLine(string? text)
    {
        var line = text?.Split('\n')[0].Trim() ?? string.Empty;
        return line.Length > 80 ? line[..77] + "…" : line;
    }
}
