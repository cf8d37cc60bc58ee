namespace Grpc.Core;

/// <summary>Per-write flags. Kept for API shape; compression flags are not supported by this implementation.</summary>
public class WriteOptions
{
    /// <summary>The default options.</summary>
    public static readonly WriteOptions Default = new();

    /// <summary>Creates options with the given flags.</summary>
    public WriteOptions(WriteFlags flags = default)
    {
        Flags = flags;
    }

    /// <summary>The flags.</summary>
    public WriteFlags Flags { get; }
}

/// <summary>Flags for a write.</summary>
[Flags]
public enum WriteFlags
{
    /// <summary>Hint that the write may be buffered.</summary>
    BufferHint = 0x1,
    /// <summary>Do not compress this message.</summary>
    NoCompress = 0x2,
}
