namespace McpPlatform.Hosting.ApplicationModel;

/// <summary>
/// A setting of a project's deployments only. A secret has no value anywhere in the artifacts: compose requires it from
/// the environment (an <c>.env</c> file), ECS reads it from Secrets Manager. A plain setting has a default the
/// deployment's variable may override.
/// </summary>
/// <param name="Secret">True: supplied by the deployment as a secret; false: <paramref name="Default"/> unless overridden.</param>
/// <param name="Default">The plain setting's default (null for secrets).</param>
public sealed record DeploymentSetting(bool Secret, string? Default);
