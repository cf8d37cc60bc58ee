namespace McpPlatform.Gateway.Access.Tests.Infrastructure;

/// <summary>The system clock moved by <see cref="Offset"/>: a gateway replica living in another month, on demand.</summary>
public sealed class ShiftedTime : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
