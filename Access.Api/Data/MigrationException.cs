namespace McpPlatform.Access.Api.Data;

/// <summary>A migration failed or an applied migration was edited: the service must not start on this schema.</summary>
internal sealed class MigrationException(string message, Exception? inner = null) : Exception(message, inner);
