namespace Keyserver.Core.Admin;

/// <summary>The upload policy (configuration <c>Policy</c>).</summary>
/// <param name="Domains">
/// When not empty, only identities whose address is in one of these domains (normalised with
/// <see cref="BlockTarget.NormaliseDomain"/>) are stored and may be published.
/// </param>
/// <param name="IncludeSubdomains">Also accept addresses in subdomains of <paramref name="Domains"/>.</param>
/// <param name="MaxKeysPerAddress">
/// Most keys an address may be published on; null for no limit. When one more is published, the
/// identities with that address on the keys published longest ago are unpublished.
/// </param>
public sealed record PolicySettings(IReadOnlyList<string> Domains, bool IncludeSubdomains = false, int? MaxKeysPerAddress = null)
{
    /// <summary>No restriction.</summary>
    public static PolicySettings Open { get; } = new([]);

    /// <summary>True when an address in this domain may be stored (always, without <see cref="Domains"/>).</summary>
    /// <param name="address">A normalised address, or null for a user ID without one.</param>
    public bool Allows(string? address)
    {
        if (Domains.Count == 0)
        {
            return true;
        }

        if (address is null)
        {
            return false;
        }

        var domains = BlockTarget.DomainsOf(address);
        return domains.Count > 0 && (IncludeSubdomains ? domains.Any(Domains.Contains) : Domains.Contains(domains[0]));
    }

    /// <summary>The line a key with no identity in <see cref="Domains"/> is rejected with.</summary>
    public string NoIdentityReason => $"no identity in {string.Join(", ", Domains)}";
}
