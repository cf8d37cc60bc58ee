using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using McpPlatform.Contracts.Keys;

namespace McpPlatform.AppHost;

/// <summary>
/// The development admin and API key: created on first start, kept in <c>{state}/credentials.json</c>
/// (mode 600) so they survive restarts, handed to Access.Api and Identity as bootstrap settings.
/// </summary>
public sealed record DevelopmentCredentials(string AdminEmail, string AdminPassword, string ApiKey)
{
    private const string FileName = "credentials.json";

    /// <summary>True when this start created them.</summary>
    [JsonIgnore]
    public bool CreatedNow { get; private init; }

    /// <summary>Reads the credentials of <paramref name="stateDirectory"/>, creating them the first time.</summary>
    public static DevelopmentCredentials LoadOrCreate(string stateDirectory)
    {
        var path = Path.Combine(stateDirectory, FileName);
        if (File.Exists(path) && JsonSerializer.Deserialize<DevelopmentCredentials>(File.ReadAllText(path)) is { } existing
            && ApiKeyFormat.TryParse(existing.ApiKey, out _))
        {
            return existing;
        }
        var created = new DevelopmentCredentials(
            "admin@mcpplatform.local",
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_'),
            ApiKeyFormat.Generate(ApiKeyEnvironment.Test)) { CreatedNow = true };
        Directory.CreateDirectory(stateDirectory);
        File.WriteAllText(path, JsonSerializer.Serialize(created));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return created;
    }

    /// <summary>The state file's <c>credentials</c> field.</summary>
    public object ForStateFile() => new
    {
        apiKey = ApiKey,
        admin = new { email = AdminEmail, password = AdminPassword },
    };
}
