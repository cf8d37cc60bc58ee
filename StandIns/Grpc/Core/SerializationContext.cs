using System.Buffers;

namespace Grpc.Core;

/// <summary>Where a marshaller writes one serialized message.</summary>
public abstract class SerializationContext
{
    /// <summary>Completes with the whole payload in one array.</summary>
    public virtual void Complete(byte[] payload) => throw new NotImplementedException();

    /// <summary>A buffer writer to serialize into; call <see cref="Complete()"/> afterwards.</summary>
    public virtual IBufferWriter<byte> GetBufferWriter() => throw new NotImplementedException();

    /// <summary>Announces the payload length before <see cref="GetBufferWriter"/>, so it can be written in place.</summary>
    public virtual void SetPayloadLength(int payloadLength)
    {
    }

    /// <summary>Completes a payload written through <see cref="GetBufferWriter"/>.</summary>
    public virtual void Complete() => throw new NotImplementedException();
}
