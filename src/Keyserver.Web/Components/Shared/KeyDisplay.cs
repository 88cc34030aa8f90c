using System.Globalization;
using Keyserver.Core.Keys;

namespace Keyserver.Web.Components.Shared;

/// <summary>How keys are worded on the portal's pages.</summary>
internal static class KeyDisplay
{
    /// <summary>"RSA 4096", "Ed25519", "ECDSA NIST P-256".</summary>
    public static string Algorithm(KeyInfo info)
    {
        var name = info.Algorithm switch
        {
            1 or 2 or 3 => "RSA",
            16 or 20 => "ElGamal",
            17 => "DSA",
            18 => "ECDH",
            19 => "ECDSA",
            22 => "EdDSA",
            25 => "X25519",
            26 => "X448",
            27 => "Ed25519",
            28 => "Ed448",
            var other => string.Create(CultureInfo.InvariantCulture, $"Algorithm {other}"),
        };
        if (info.Curve is { } curve)
        {
            return string.Equals(curve, name, StringComparison.OrdinalIgnoreCase) ? name : $"{name} {curve}";
        }

        return info.Algorithm is 25 or 26 or 27 or 28
            ? name
            : string.Create(CultureInfo.InvariantCulture, $"{name} {info.Bits}");
    }

    /// <summary>The fingerprint in groups of four, as gpg prints it, for reading aloud and comparing.</summary>
    public static string Grouped(string fingerprint) =>
        string.Join(' ', fingerprint.Chunk(4).Select(c => new string(c)));

    /// <summary>The keyserver address gpg and sq take for a public URL.</summary>
    /// <remarks>hkp:// means port 11371 unless given and hkps:// means 443, so plain HTTP always names its port.</remarks>
    public static string HkpAddress(string publicUrl)
    {
        var uri = new Uri(publicUrl);
        return uri.Scheme == Uri.UriSchemeHttps
            ? uri.IsDefaultPort ? $"hkps://{uri.Host}" : $"hkps://{uri.Host}:{uri.Port}"
            : $"hkp://{uri.Host}:{uri.Port}";
    }

    public static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Usage(KeyUsage usage)
    {
        var parts = new List<string>();
        if (usage.HasFlag(KeyUsage.Certify))
        {
            parts.Add("certify");
        }

        if (usage.HasFlag(KeyUsage.Sign))
        {
            parts.Add("sign");
        }

        if ((usage & (KeyUsage.EncryptCommunications | KeyUsage.EncryptStorage)) != 0)
        {
            parts.Add("encrypt");
        }

        if (usage.HasFlag(KeyUsage.Authenticate))
        {
            parts.Add("authenticate");
        }

        return parts.Count == 0 ? "no usage given" : string.Join(", ", parts);
    }

    /// <summary>Reason-for-revocation codes (RFC 9580 §5.2.3.31) in words.</summary>
    public static string Reason(Revocation revocation)
    {
        var code = revocation.ReasonCode switch
        {
            1 => "superseded",
            2 => "compromised",
            3 => "retired",
            32 => "user ID no longer valid",
            _ => "no reason given",
        };
        return string.IsNullOrWhiteSpace(revocation.ReasonText) ? code : $"{code}: {revocation.ReasonText}";
    }

    /// <summary>Revoked wins over expired; a key that is neither is valid.</summary>
    public static KeyHealth Health(KeyInfo info, DateTimeOffset now) =>
        info.Revoked is not null ? KeyHealth.Revoked
        : info.Expires is { } expires && expires <= now ? KeyHealth.Expired
        : KeyHealth.Valid;

    /// <summary>Only identities the owner confirmed are shown anywhere on the portal.</summary>
    public static IEnumerable<IdentityRecord> Published(KeyRecord record) =>
        record.Identities.Where(i => i.State == IdentityState.Published);
}

internal enum KeyHealth
{
    Valid,
    Expired,
    Revoked,
}
