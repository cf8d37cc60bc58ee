using System.Security.Cryptography;
using System.Text;

namespace McpPlatform.Access.Api.Data;

/// <summary>One versioned schema migration: its file name ("0001_initial.sql"), SQL and SHA-256 checksum.</summary>
internal sealed record Migration(string Name, string Sql)
{
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)));

    /// <summary>The migrations embedded in this assembly (Migrations/*.sql), in name order.</summary>
    public static IReadOnlyList<Migration> Embedded()
    {
        var assembly = typeof(Migration).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith("Migrations/", StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream, Encoding.UTF8);
                return new Migration(name["Migrations/".Length..], reader.ReadToEnd());
            })
            .ToArray();
    }
}
