namespace McpPlatform.Access.Api.Options;

/// <summary>
/// Section "Bootstrap" (set by AppHost): <c>{ "AdminEmail": "admin@…", "ApiKey": "sk_test_…" }</c>. When both are
/// set, the admin user and that key exist after start (created once, idempotently).
/// </summary>
internal sealed class BootstrapOptions
{
    public const string SectionName = "Bootstrap";

    public string? AdminEmail { get; set; }

    public string? ApiKey { get; set; }
}
