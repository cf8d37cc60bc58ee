using System.Buffers.Text;
using Grpc.Core;

namespace McpPlatform.StandIns.Grpc.Framing;

/// <summary>Metadata to HTTP/2 headers and back: <c>-bin</c> values are base64 (padding optional on receipt).</summary>
internal static class MetadataCodec
{
    public static string EncodeValue(Metadata.Entry entry) =>
        entry.IsBinary ? Convert.ToBase64String(entry.ValueBytes) : entry.Value;

    /// <summary>Adds a received header to <paramref name="metadata"/> unless the protocol owns it.</summary>
    public static void AddHeader(Metadata metadata, string name, string? value)
    {
        if (value is null || GrpcProtocol.IsReservedHeader(name))
        {
            return;
        }

        if (Metadata.Entry.IsBinaryKey(name))
        {
            metadata.Add(name, DecodeBase64(value));
        }
        else
        {
            metadata.Add(name, value);
        }
    }

    private static byte[] DecodeBase64(string value)
    {
        var trimmed = value.Trim();
        var padding = (4 - trimmed.Length % 4) % 4;
        if (padding is 1 or 2)
        {
            trimmed += new string('=', padding);
        }

        var bytes = new byte[Base64.GetMaxDecodedFromUtf8Length(trimmed.Length)];
        if (Convert.TryFromBase64String(trimmed, bytes, out var written))
        {
            return bytes.AsSpan(0, written).ToArray();
        }

        throw new RpcException(new Status(StatusCode.Internal, "A binary metadata entry has invalid base64."));
    }
}
