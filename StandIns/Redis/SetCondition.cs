namespace McpPlatform.Redis;

/// <summary>When a SET takes effect.</summary>
public enum SetCondition
{
    /// <summary>Always.</summary>
    Always,

    /// <summary>Only if the key does not exist (NX).</summary>
    NotExists,

    /// <summary>Only if the key exists (XX).</summary>
    Exists,
}
