namespace Grpc.Core;

/// <summary>Turns messages of type <typeparamref name="T"/> into bytes and back.</summary>
public class Marshaller<T>
{
    /// <summary>Creates a marshaller from contextual delegates (what generated code uses).</summary>
    public Marshaller(Action<T, SerializationContext> serializer, Func<DeserializationContext, T> deserializer)
    {
        ContextualSerializer = serializer ?? throw new ArgumentNullException(nameof(serializer));
        ContextualDeserializer = deserializer ?? throw new ArgumentNullException(nameof(deserializer));
        Serializer = message =>
        {
            var context = new ArraySerializationContext();
            serializer(message, context);
            return context.Payload;
        };
        Deserializer = bytes => deserializer(new ArrayDeserializationContext(bytes));
    }

    /// <summary>Creates a marshaller from byte-array delegates.</summary>
    public Marshaller(Func<T, byte[]> serializer, Func<byte[], T> deserializer)
    {
        Serializer = serializer ?? throw new ArgumentNullException(nameof(serializer));
        Deserializer = deserializer ?? throw new ArgumentNullException(nameof(deserializer));
        ContextualSerializer = (message, context) => context.Complete(serializer(message));
        ContextualDeserializer = context => deserializer(context.PayloadAsNewBuffer());
    }

    /// <summary>Serializes to a new array.</summary>
    public Func<T, byte[]> Serializer { get; }

    /// <summary>Deserializes from an array.</summary>
    public Func<byte[], T> Deserializer { get; }

    /// <summary>Serializes into a context (no intermediate copy when the context allows).</summary>
    public Action<T, SerializationContext> ContextualSerializer { get; }

    /// <summary>Deserializes from a context.</summary>
    public Func<DeserializationContext, T> ContextualDeserializer { get; }

    private sealed class ArraySerializationContext : SerializationContext
    {
        private System.Buffers.ArrayBufferWriter<byte>? _writer;

        public byte[] Payload { get; private set; } = [];

        public override void Complete(byte[] payload) => Payload = payload;

        public override System.Buffers.IBufferWriter<byte> GetBufferWriter() => _writer ??= new System.Buffers.ArrayBufferWriter<byte>();

        public override void Complete() => Payload = _writer?.WrittenSpan.ToArray() ?? [];
    }

    private sealed class ArrayDeserializationContext(byte[] payload) : DeserializationContext
    {
        public override int PayloadLength => payload.Length;

        public override byte[] PayloadAsNewBuffer() => (byte[])payload.Clone();

        public override System.Buffers.ReadOnlySequence<byte> PayloadAsReadOnlySequence() => new(payload);
    }
}

/// <summary>Factory methods for marshallers.</summary>
public static class Marshallers
{
    /// <summary>A marshaller that passes byte arrays through unchanged.</summary>
    public static Marshaller<byte[]> ByteArrayMarshaller { get; } = new(b => b, b => b);

    /// <summary>Creates a marshaller from byte-array delegates.</summary>
    public static Marshaller<T> Create<T>(Func<T, byte[]> serializer, Func<byte[], T> deserializer) => new(serializer, deserializer);

    /// <summary>Creates a marshaller from contextual delegates.</summary>
    public static Marshaller<T> Create<T>(Action<T, SerializationContext> serializer, Func<DeserializationContext, T> deserializer) => new(serializer, deserializer);
}
