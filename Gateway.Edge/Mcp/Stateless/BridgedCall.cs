using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlatform.Gateway.Edge.Mcp.Sessions;

namespace McpPlatform.Gateway.Edge.Mcp.Stateless;

/// <summary>
/// One 2026-07-28 request on a session-isolation server: the private session opened for it (its own process), the
/// upstream request waiting in it, and the server's requests that were handed to the client as <c>inputRequests</c>,
/// by key, with the upstream ids their answers must carry. Lives from the first request to the final result, across
/// the client's retries.
/// </summary>
internal sealed class BridgedCall(SessionLink link, SessionLink.Pending pending, string method, string? name)
{
    private readonly Dictionary<string, Asked> _outstanding = new(StringComparer.Ordinal);
    private int _keys;

    public SessionLink Link => link;

    public SessionLink.Pending Pending => pending;

    public string Method => method;

    public string? Name => name;

    /// <summary>The server's requests the client has not answered yet, as an <c>InputRequests</c> map.</summary>
    public JsonObject InputRequests()
    {
        var requests = new JsonObject();
        foreach (var (key, asked) in _outstanding)
        {
            requests[key] = new JsonObject { ["method"] = asked.Method, ["params"] = asked.Params?.DeepClone() };
        }

        return requests;
    }

    public bool HasOutstanding => _outstanding.Count > 0;

    /// <summary>A server request for the client: keeps its upstream id under a fresh key.</summary>
    public void Ask(JsonObject request)
    {
        var key = "input-" + ++_keys;
        _outstanding[key] = new Asked(request["id"]!.DeepClone(), (string)request["method"]!, request["params"] as JsonObject);
    }

    /// <summary>
    /// The upstream responses for the keys the client answered (each key once); unanswered keys stay outstanding and
    /// are asked again, as the spec asks of a server missing some input. Keys the gateway never issued are ignored.
    /// </summary>
    public List<byte[]> Answer(JsonObject? inputResponses)
    {
        var responses = new List<byte[]>();
        if (inputResponses is null)
        {
            return responses;
        }

        foreach (var key in _outstanding.Keys.ToList())
        {
            if (inputResponses[key] is JsonObject result)
            {
                responses.Add(JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = _outstanding[key].Id.DeepClone(), ["result"] = result.DeepClone() }));
                _outstanding.Remove(key);
            }
        }

        return responses;
    }

    /// <summary>Ends the private session: its process goes back to the pool.</summary>
    public Task CloseAsync(string reason) => link.CloseAsync(reason, CancellationToken.None);

    private sealed record Asked(JsonNode Id, string Method, JsonObject? Params);
}
