using System.Globalization;
using Grpc.Core;

namespace McpPlatform.StandIns.Grpc.Framing;

/// <summary>Names and small codecs of the gRPC-over-HTTP/2 protocol (PROTOCOL-HTTP2.md).</summary>
internal static class GrpcProtocol
{
    public const string ContentType = "application/grpc";
    public const string StatusHeader = "grpc-status";
    public const string MessageHeader = "grpc-message";
    public const string TimeoutHeader = "grpc-timeout";
    public const string EncodingHeader = "grpc-encoding";
    public const string AcceptEncodingHeader = "grpc-accept-encoding";
    public const string IdentityEncoding = "identity";
    public const string UserAgent = "grpc-dotnet-mcpplatform/1.0";
    public const int HeaderSize = 5;
    public const int DefaultMaxReceiveMessageSize = 4 * 1024 * 1024;

    /// <summary>True for <c>application/grpc</c> and its <c>+proto</c>/<c>;params</c> variants.</summary>
    public static bool IsGrpcContentType(string? contentType)
    {
        if (contentType is null || !contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return contentType.Length == ContentType.Length || contentType[ContentType.Length] is '+' or ';';
    }

    /// <summary>Headers that the protocol owns; they never appear in <see cref="Metadata"/>.</summary>
    public static bool IsReservedHeader(string name) =>
        name.Length == 0 || name[0] == ':' ||
        name.Equals("content-type", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("te", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("host", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("content-length", StringComparison.OrdinalIgnoreCase) ||
        name.Equals(TimeoutHeader, StringComparison.OrdinalIgnoreCase) ||
        name.Equals(EncodingHeader, StringComparison.OrdinalIgnoreCase) ||
        name.Equals(AcceptEncodingHeader, StringComparison.OrdinalIgnoreCase) ||
        name.Equals(StatusHeader, StringComparison.OrdinalIgnoreCase) ||
        name.Equals(MessageHeader, StringComparison.OrdinalIgnoreCase);

    /// <summary>Encodes a timeout as at most 8 digits and a unit, rounding up so the peer never waits less.</summary>
    public static string FormatTimeout(TimeSpan timeout)
    {
        var ticks = Math.Max(0, timeout.Ticks);
        // 1 tick = 100 ns; pick the finest unit whose value fits in 8 digits.
        var nanos = ticks * 100;
        if (nanos < 100_000_000)
        {
            return nanos.ToString(CultureInfo.InvariantCulture) + "n";
        }

        var micros = (ticks + 9) / 10;
        if (micros < 100_000_000)
        {
            return micros.ToString(CultureInfo.InvariantCulture) + "u";
        }

        var millis = (ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond;
        if (millis < 100_000_000)
        {
            return millis.ToString(CultureInfo.InvariantCulture) + "m";
        }

        var seconds = (ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond;
        if (seconds < 100_000_000)
        {
            return seconds.ToString(CultureInfo.InvariantCulture) + "S";
        }

        var minutes = (seconds + 59) / 60;
        return minutes < 100_000_000 ? minutes.ToString(CultureInfo.InvariantCulture) + "M" : "99999999H";
    }

    /// <summary>Parses <c>grpc-timeout</c>; false when the value is malformed.</summary>
    public static bool TryParseTimeout(string? value, out TimeSpan timeout)
    {
        timeout = default;
        if (string.IsNullOrEmpty(value) || value.Length < 2 || value.Length > 9 ||
            !long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }

        long? ticks = value[^1] switch
        {
            'H' => amount * TimeSpan.TicksPerHour,
            'M' => amount * TimeSpan.TicksPerMinute,
            'S' => amount * TimeSpan.TicksPerSecond,
            'm' => amount * TimeSpan.TicksPerMillisecond,
            'u' => amount * 10,
            'n' => amount / 100,
            _ => null,
        };
        if (ticks is null)
        {
            return false;
        }

        timeout = TimeSpan.FromTicks(ticks.Value);
        return true;
    }

    /// <summary>Builds a status from <c>grpc-status</c>/<c>grpc-message</c> values.</summary>
    public static Status ParseStatus(string? code, string? message)
    {
        if (code is null)
        {
            return new Status(StatusCode.Internal, "No grpc-status found on response.");
        }

        if (!int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return new Status(StatusCode.Internal, $"Unexpected grpc-status value '{code}'.");
        }

        return new Status((StatusCode)value, message is null ? string.Empty : PercentEncoding.Decode(message));
    }

    /// <summary>The status for an HTTP response that is not a gRPC response (per the HTTP-to-gRPC mapping).</summary>
    public static Status StatusFromHttp(int httpStatus) => new(
        httpStatus switch
        {
            400 => StatusCode.Internal,
            401 => StatusCode.Unauthenticated,
            403 => StatusCode.PermissionDenied,
            404 => StatusCode.Unimplemented,
            429 or 502 or 503 or 504 => StatusCode.Unavailable,
            _ => StatusCode.Unknown,
        },
        $"Bad gRPC response. HTTP status code: {httpStatus}");
}
