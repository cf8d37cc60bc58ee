namespace McpPlatform.Hosting;

/// <summary>The application could not start: the message names the resource and what to do.</summary>
public sealed class DistributedApplicationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DistributedApplicationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public DistributedApplicationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
