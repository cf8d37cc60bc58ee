namespace McpPlatform.Access.Api.Data;

/// <summary>Where migrations come from: the embedded files in production; tests add a broken one.</summary>
internal interface IMigrationSource
{
    IReadOnlyList<Migration> Migrations();
}

/// <summary>The migrations embedded in this assembly.</summary>
internal sealed class EmbeddedMigrations : IMigrationSource
{
    private readonly IReadOnlyList<Migration> _migrations = Migration.Embedded();

    public IReadOnlyList<Migration> Migrations() => _migrations;
}
