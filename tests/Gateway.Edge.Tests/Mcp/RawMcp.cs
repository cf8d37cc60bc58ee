using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace McpPlatform.Gateway.Edge.Tests.Mcp;

/// <summary>Hand-made Streamable HTTP requests, for the paths an SDK client never takes.</summary>
internal static class RawMcp
{
    public const string Initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""";

    public static HttpRequestMessage Post(Uri endpoint, string body, string? sessionId = null, string accept = "application/json, text/event-stream", string contentType = "application/json", string? protocolVersion = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        if (sessionId is not null)
        {
            request.Headers.Add("Mcp-Session-Id", sessionId);
        }

        if (protocolVersion is not null)
        {
            request.Headers.Add("MCP-Protocol-Version", protocolVersion);
        }

        return request;
    }

    /// <summary>initialize + notifications/initialized; returns the session id.</summary>
    public static async Task<string> OpenSessionAsync(HttpClient http, Uri endpoint, string version = "2025-06-18")
    {
        using var response = await http.SendAsync(Post(endpoint, Initialize.Replace("2025-06-18", version, StringComparison.Ordinal)));
        response.EnsureSuccessStatusCode();
        var sessionId = response.Headers.GetValues("Mcp-Session-Id").Single();
        using var initialized = await http.SendAsync(Post(endpoint, """{"jsonrpc":"2.0","method":"notifications/initialized"}""", sessionId, protocolVersion: version));
        initialized.EnsureSuccessStatusCode();
        return sessionId;
    }

    /// <summary>The JSON-RPC error of a refusal: (code, data.reason).</summary>
    public static async Task<(int Code, string? Reason, JsonElement Id)> ErrorOfAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = document.RootElement.GetProperty("error");
        var reason = error.TryGetProperty("data", out var data) && data.TryGetProperty("reason", out var r) ? r.GetString() : null;
        return (error.GetProperty("code").GetInt32(), reason, document.RootElement.GetProperty("id").Clone());
    }

    /// <summary>The data lines of each SSE event in a finished body (comments and empty priming data skipped).</summary>
    public static IReadOnlyList<(string? Id, string Data)> SseEvents(string body)
    {
        var events = new List<(string?, string)>();
        foreach (var block in body.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string? id = null;
            var data = new StringBuilder();
            foreach (var line in block.Split('\n'))
            {
                if (line.StartsWith("id: ", StringComparison.Ordinal))
                {
                    id = line[4..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data.Append(line[6..]);
                }
            }

            if (data.Length > 0)
            {
                events.Add((id, data.ToString()));
            }
        }

        return events;
    }
}
