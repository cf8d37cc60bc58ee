using System.Security.Cryptography;
using System.Text;
using McpPlatform.Access.Api.Options;
using McpPlatform.Contracts.Keys;
using Microsoft.Extensions.Options;

namespace McpPlatform.Access.Api.Keys;

/// <summary>
/// The keyed hash keys are stored and looked up by (HMAC-SHA256 under Access:KeyPepper), and the environment this
/// deployment accepts. A database leak alone therefore yields nothing that can be tried against the service.
/// </summary>
internal sealed class KeyHasher(IOptions<AccessOptions> options, IHostEnvironment host)
{
    private readonly byte[] _pepper = Encoding.UTF8.GetBytes(options.Value.KeyPepper);

    public ApiKeyEnvironment Environment { get; } = options.Value.Environment switch
    {
        "live" => ApiKeyEnvironment.Live,
        "test" => ApiKeyEnvironment.Test,
        _ => host.IsDevelopment() ? ApiKeyEnvironment.Test : ApiKeyEnvironment.Live,
    };

    public string EnvironmentName => Environment == ApiKeyEnvironment.Live ? "live" : "test";

    public bool UsesDevelopmentPepper => options.Value.KeyPepper == AccessOptions.DevelopmentPepper;

    public byte[] Hash(string key) => HMACSHA256.HashData(_pepper, Encoding.UTF8.GetBytes(key));

    /// <summary>A new key for this deployment's environment.</summary>
    public string NewKey() => ApiKeyFormat.Generate(Environment);
}
