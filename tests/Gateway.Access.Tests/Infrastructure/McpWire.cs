using System.Net.Http.Headers;
using System.Text;

namespace McpPlatform.Gateway.Access.Tests.Infrastructure;

/// <summary>
/// Raw MCP messages to the gateway's real endpoints, as a client puts them on the wire (status codes and headers are
/// what the tests look at, so no SDK in between). Every answer is buffered, so it can be read more than once.
/// </summary>
public sealed class McpWire(Uri endpoint, string? key) : IDisposable
{
    private const string Version = "2025-06-18";
    private readonly HttpClient _http = new();
    private int _id;

    /// <summary>The JSON-RPC id of the last request sent.</summary>
    public int LastId => _id;

    /// <summary>The session <see cref="OpenAsync"/> made, sent with every later message.</summary>
    public string? SessionId { get; private set; }

    /// <summary><c>initialize</c> without a session; the caller disposes the answer.</summary>
    public Task<HttpResponseMessage> InitializeAsync() =>
        SendAsync("""{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""");

    /// <summary><c>initialize</c> then <c>notifications/initialized</c>: a session to call tools on.</summary>
    public async Task OpenAsync()
    {
        using var initialized = await InitializeAsync();
        initialized.EnsureSuccessStatusCode();
        SessionId = initialized.Headers.GetValues("Mcp-Session-Id").Single();
        using var notified = await SendAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        notified.EnsureSuccessStatusCode();
    }

    /// <summary>One <c>tools/call</c> of the echo tool; the caller disposes the answer.</summary>
    public Task<HttpResponseMessage> CallEchoAsync() =>
        SendAsync($$"""{"jsonrpc":"2.0","id":{{++_id}},"method":"tools/call","params":{"name":"echo","arguments":{"text":"t{{_id}}"}""" + "}}");

    /// <summary><c>tools/list</c>; the caller disposes the answer.</summary>
    public Task<HttpResponseMessage> ListToolsAsync() =>
        SendAsync($$"""{"jsonrpc":"2.0","id":{{++_id}},"method":"tools/list"}""");

    /// <summary>Ends the session (HTTP DELETE).</summary>
    public async Task<HttpResponseMessage> DeleteAsync()
    {
        using var request = Request(HttpMethod.Delete);
        var response = await _http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(string json)
    {
        using var request = Request(HttpMethod.Post);
        request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        var response = await _http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private HttpRequestMessage Request(HttpMethod method)
    {
        var request = new HttpRequestMessage(method, endpoint);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (SessionId is not null)
        {
            request.Headers.TryAddWithoutValidation("Mcp-Session-Id", SessionId);
            request.Headers.TryAddWithoutValidation("MCP-Protocol-Version", Version);
        }

        return request;
    }
}
