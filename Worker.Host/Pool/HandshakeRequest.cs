using System.Buffers;
using System.Text.Json;

namespace McpPlatform.Worker.Host.Pool;

/// <summary>The host's own <c>initialize</c> (shared/tenant isolation): no client capabilities, so servers do not expect sampling, elicitation or roots.</summary>
internal static class HandshakeRequest
{
    public static byte[] Build(string protocolVersion)
    {
        var output = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc"u8, "2.0"u8);
            writer.WriteNumber("id"u8, 0);
            writer.WriteString("method"u8, "initialize"u8);
            writer.WriteStartObject("params"u8);
            writer.WriteString("protocolVersion"u8, protocolVersion);
            writer.WriteStartObject("capabilities"u8);
            writer.WriteEndObject();
            writer.WriteStartObject("clientInfo"u8);
            writer.WriteString("name"u8, "mcp-platform-worker"u8);
            writer.WriteString("version"u8, "1.0.0"u8);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }
}
