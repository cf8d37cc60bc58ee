using System.Text.Json;

namespace McpPlatform.Gateway.Access.Tests.Infrastructure;

/// <summary>Reads the test endpoint's answers (as text, so one answer can be read several times).</summary>
public static class Answers
{
    public static async Task<string> ReasonAsync(HttpResponseMessage response) =>
        (await ErrorAsync(response)).GetProperty("data").GetProperty("reason").GetString()!;

    public static async Task<string> MessageAsync(HttpResponseMessage response) =>
        (await ErrorAsync(response)).GetProperty("message").GetString()!;

    public static string Challenge(HttpResponseMessage response) =>
        response.Headers.WwwAuthenticate.Count == 0 ? "" : string.Join(", ", response.Headers.GetValues("WWW-Authenticate"));

    private static async Task<JsonElement> ErrorAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("error").Clone();
    }
}
