using Grpc.Core;
using McpPlatform.StandIns.Grpc.Framing;

namespace McpPlatform.StandIns.Grpc.Tests.Framing;

public sealed class GrpcProtocolTests
{
    [Theory]
    [InlineData("precondition failed: 50% ünïcode ✓\nline2")]
    [InlineData("plain ascii")]
    [InlineData("")]
    public void PercentEncoding_RoundTrips(string message)
    {
        var encoded = PercentEncoding.Encode(message);

        Assert.All(encoded, c => Assert.InRange(c, ' ', '~'));
        Assert.Equal(message, PercentEncoding.Decode(encoded));
    }

    [Fact]
    public void PercentDecoding_LeavesMalformedEscapesAlone() =>
        Assert.Equal("100%zz%4", PercentEncoding.Decode("100%zz%4"));

    [Theory]
    [InlineData("1H", 3600_000)]
    [InlineData("2M", 120_000)]
    [InlineData("3S", 3_000)]
    [InlineData("250m", 250)]
    [InlineData("1500u", 1.5)]
    [InlineData("2000000n", 2)]
    public void Timeout_ParsesEveryUnit(string value, double milliseconds)
    {
        Assert.True(GrpcProtocol.TryParseTimeout(value, out var timeout));
        Assert.Equal(milliseconds, timeout.TotalMilliseconds, 3);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("123456789S")]
    [InlineData("5x")]
    [InlineData("-5S")]
    public void Timeout_RejectsMalformedValues(string value) =>
        Assert.False(GrpcProtocol.TryParseTimeout(value, out _));

    [Theory]
    [InlineData(0.0005)]
    [InlineData(250)]
    [InlineData(86_400_000)]
    public void Timeout_FormatsWithinEightDigitsAndNeverShorter(double milliseconds)
    {
        var timeout = TimeSpan.FromMilliseconds(milliseconds);

        var text = GrpcProtocol.FormatTimeout(timeout);

        Assert.True(text.Length <= 9);
        Assert.True(GrpcProtocol.TryParseTimeout(text, out var parsed));
        Assert.True(parsed >= timeout);
    }

    [Fact]
    public void MissingStatus_IsInternal() =>
        Assert.Equal(StatusCode.Internal, GrpcProtocol.ParseStatus(null, null).StatusCode);

    [Theory]
    [InlineData("application/grpc", true)]
    [InlineData("application/grpc+proto", true)]
    [InlineData("application/grpc;charset=utf-8", true)]
    [InlineData("application/grpcx", false)]
    [InlineData("application/json", false)]
    public void ContentType_IsRecognised(string contentType, bool expected) =>
        Assert.Equal(expected, GrpcProtocol.IsGrpcContentType(contentType));

    [Fact]
    public void BinaryMetadata_AcceptsUnpaddedBase64()
    {
        var metadata = new Metadata();

        MetadataCodec.AddHeader(metadata, "x-data-bin", "AAEC/w");

        Assert.Equal(new byte[] { 0, 1, 2, 255 }, metadata.GetValueBytes("x-data-bin"));
    }
}
