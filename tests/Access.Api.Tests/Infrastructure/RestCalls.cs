using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace McpPlatform.Access.Api.Tests.Infrastructure;

/// <summary>REST calls as a caller holding <c>key</c> (none when null), and reading their JSON answers.</summary>
public static class RestCalls
{
    public static async Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string path, string? key, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType());
        }

        return await client.SendAsync(request);
    }

    /// <summary>Sends, asserts the status, and returns the JSON body (an empty object when there is none).</summary>
    public static async Task<JsonElement> JsonAsync(this HttpClient client, HttpMethod method, string path, string? key, HttpStatusCode expected, object? body = null)
    {
        using var response = await client.SendAsync(method, path, key, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text.Length == 0 ? "{}" : text).RootElement.Clone();
    }

    /// <summary>Asserts a ProblemDetails answer with <paramref name="status"/>.</summary>
    public static async Task<JsonElement> ProblemAsync(this HttpClient client, HttpMethod method, string path, string? key, HttpStatusCode status, object? body = null)
    {
        using var response = await client.SendAsync(method, path, key, body);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        if (status == HttpStatusCode.Unauthorized)
        {
            Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        return problem;
    }

    public static string Str(this JsonElement element, string property) => element.GetProperty(property).GetString()!;
}
