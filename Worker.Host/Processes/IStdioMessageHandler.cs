namespace McpPlatform.Worker.Host.Processes;

/// <summary>Receives each newline-delimited message a server writes to stdout, on the process's reader loop.</summary>
internal interface IStdioMessageHandler
{
    /// <summary>One complete line, without its newline. The span is only valid during the call.</summary>
    void OnMessage(ReadOnlySpan<byte> line);
}
