namespace McpPlatform.Gateway.Edge.Access;

/// <summary>A permission: <paramref name="Server"/> and <paramref name="Tool"/> globs where <c>*</c> matches any run of characters.</summary>
public sealed record ScopeGrant(string Server, string Tool);
