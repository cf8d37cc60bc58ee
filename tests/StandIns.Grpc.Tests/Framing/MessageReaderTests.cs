using System.Buffers;
using System.IO.Pipelines;
using Grpc.Core;
using McpPlatform.StandIns.Grpc.Framing;

namespace McpPlatform.StandIns.Grpc.Tests.Framing;

public sealed class MessageReaderTests
{
    private static readonly Func<DeserializationContext, byte[]> Bytes = context => context.PayloadAsNewBuffer();

    [Fact]
    public async Task MessageSplitAcrossReads_IsReassembled()
    {
        var pipe = new Pipe();
        var reader = new MessageReader(pipe.Reader, maxMessageSize: null);
        var frame = Frame([1, 2, 3, 4, 5, 6, 7]);

        var read = reader.ReadAsync(Bytes, CancellationToken.None);
        foreach (var chunk in new[] { frame[..2], frame[2..5], frame[5..9], frame[9..] })
        {
            Assert.False(read.IsCompleted);
            await pipe.Writer.WriteAsync(chunk);
        }

        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7 }, await read);
    }

    [Fact]
    public async Task TwoMessagesInOneRead_AreReadOneByOne()
    {
        var pipe = new Pipe();
        var reader = new MessageReader(pipe.Reader, maxMessageSize: null);
        await pipe.Writer.WriteAsync(Frame([1]).Concat(Frame([2, 2])).ToArray());
        await pipe.Writer.CompleteAsync();

        Assert.Equal(new byte[] { 1 }, await reader.ReadAsync(Bytes, CancellationToken.None));
        Assert.Equal(new byte[] { 2, 2 }, await reader.ReadAsync(Bytes, CancellationToken.None));
        Assert.Null(await reader.ReadAsync(Bytes, CancellationToken.None));
    }

    [Fact]
    public async Task ZeroLengthMessage_IsAMessageNotTheEnd()
    {
        var pipe = new Pipe();
        var reader = new MessageReader(pipe.Reader, maxMessageSize: null);
        await pipe.Writer.WriteAsync(Frame([]).Concat(Frame([])).ToArray());
        await pipe.Writer.CompleteAsync();

        Assert.Empty((await reader.ReadAsync(Bytes, CancellationToken.None))!);
        Assert.Empty((await reader.ReadAsync(Bytes, CancellationToken.None))!);
        Assert.Null(await reader.ReadAsync(Bytes, CancellationToken.None));
    }

    [Fact]
    public async Task CompressedFlagWithoutNegotiatedEncoding_IsInternalError()
    {
        var pipe = new Pipe();
        var reader = new MessageReader(pipe.Reader, maxMessageSize: null);
        var frame = Frame([9, 9]);
        frame[0] = 1;
        await pipe.Writer.WriteAsync(frame);

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await reader.ReadAsync(Bytes, CancellationToken.None));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.Contains("compressed", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MessageOverLimit_IsResourceExhaustedBeforeItsPayloadArrives()
    {
        var pipe = new Pipe();
        var reader = new MessageReader(pipe.Reader, maxMessageSize: 1024);
        var header = new byte[5];
        MessageFraming.WriteHeader(header, 1025);
        await pipe.Writer.WriteAsync(header);

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await reader.ReadAsync(Bytes, CancellationToken.None));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task StreamEndingInsideAMessage_IsInternalError()
    {
        var pipe = new Pipe();
        var reader = new MessageReader(pipe.Reader, maxMessageSize: null);
        await pipe.Writer.WriteAsync(Frame([1, 2, 3])[..6]);
        await pipe.Writer.CompleteAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await reader.ReadAsync(Bytes, CancellationToken.None));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public void SerializationContext_WritesHeaderAndPayloadBothWays()
    {
        var direct = new PooledBufferWriter();
        var buffered = new PooledBufferWriter();
        var context = new MessageSerializationContext(maxMessageSize: null);

        context.WriteMessage(direct, new byte[] { 7, 8 }, (m, c) =>
        {
            c.SetPayloadLength(m.Length);
            c.GetBufferWriter().Write(m);
            c.Complete();
        });
        context.WriteMessage(buffered, new byte[] { 7, 8 }, (m, c) => c.Complete(m));

        Assert.Equal(new byte[] { 0, 0, 0, 0, 2, 7, 8 }, direct.WrittenMemory.ToArray());
        Assert.Equal(direct.WrittenMemory.ToArray(), buffered.WrittenMemory.ToArray());
    }

    [Fact]
    public void SendingOverLimit_IsResourceExhausted()
    {
        var context = new MessageSerializationContext(maxMessageSize: 1);

        var ex = Assert.Throws<RpcException>(() => context.WriteMessage(new PooledBufferWriter(), new byte[] { 1, 2 }, (m, c) => c.Complete(m)));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    private static byte[] Frame(byte[] payload)
    {
        var frame = new byte[5 + payload.Length];
        MessageFraming.WriteHeader(frame, payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }
}
