namespace McpPlatform.Worker.Host.Pool;

/// <summary>A slot's process could not be started or did not complete the initialize handshake.</summary>
internal sealed class SlotStartException : Exception
{
    public SlotStartException()
    {
    }

    public SlotStartException(string message)
        : base(message)
    {
    }

    public SlotStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
