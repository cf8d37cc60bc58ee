namespace McpPlatform.Gateway.Edge.Forwarder;

/// <summary>Set on <see cref="HttpContext.Features"/> when forwarding failed: what failed, and why.</summary>
public interface IForwarderErrorFeature
{
    /// <summary>The failure.</summary>
    ForwarderError Error { get; }

    /// <summary>The exception behind it, when there was one.</summary>
    Exception? Exception { get; }
}

internal sealed record ForwarderErrorFeature(ForwarderError Error, Exception? Exception) : IForwarderErrorFeature;
