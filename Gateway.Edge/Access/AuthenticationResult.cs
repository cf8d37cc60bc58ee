namespace McpPlatform.Gateway.Edge.Access;

/// <summary>Either the authenticated caller or the denial to answer with.</summary>
public readonly record struct AuthenticationResult(Caller? Caller, AccessDenial? Denial)
{
    public static AuthenticationResult Success(Caller caller) => new(caller, null);

    public static AuthenticationResult Fail(AccessDenial denial) => new(null, denial);
}
