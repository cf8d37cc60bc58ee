using System.Text.Json;

namespace McpPlatform.Access.Api.Keys;

/// <summary>How scopes and plan overrides are written to and read from their jsonb columns.</summary>
internal static class JsonColumns
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string json) where T : new() =>
        string.IsNullOrEmpty(json) ? new T() : JsonSerializer.Deserialize<T>(json, Options) ?? new T();

    public static KeyScope[] Scopes(string json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<KeyScope[]>(json, Options) ?? [];
}
