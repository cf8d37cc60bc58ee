namespace McpPlatform.Worker.Host.Processes;

/// <summary>Receives each newline-delimited message a server writes to stdout, and the end of stdout, on the process's reader loop.</summary>
internal interface IStdioMessageHandler
{
    /// <summary>One complete line, without its newline. The span is only valid during the call.</summary>
    void OnMessage(ReadOnlySpan<byte> line);

    /// <summary>
    /// stdout has ended or broken, once, on the reader loop: no message will come any more and the process is dead or
    /// being killed. Comes before the process has been reaped (<see cref="StdioProcess.Completion"/>), so the handler
    /// can stop handing the process work at once.
    /// </summary>
    void OnOutputEnded();
}
