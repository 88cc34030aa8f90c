using System.ComponentModel.DataAnnotations;
using Keyserver.Core.Admin;

namespace Keyserver.Web.Options;

/// <summary>The upload policy (section <c>Policy</c>).</summary>
internal sealed class PolicyOptions : IValidatableObject
{
    public const string Section = "Policy";

    private static readonly char[] Separators = [',', ';', ' ', '\t'];

    /// <summary>
    /// Domains whose addresses may be stored; empty accepts every address. A JSON array, indexed keys
    /// (<c>Policy:Domains:0</c>) or one value separated by commas (<c>Policy__Domains=example.org,example.com</c>).
    /// </summary>
    public List<string> Domains { get; set; } = [];

    /// <summary>Also accept addresses in subdomains of <see cref="Domains"/>.</summary>
    public bool IncludeSubdomains { get; set; }

    /// <summary>Most keys one address may be published on; unset for no limit (1 is keys.openpgp.org's rule).</summary>
    [Range(1, 10_000, ErrorMessage = "Policy:MaxKeysPerAddress must be between 1 and 10000, or unset for no limit.")]
    public int? MaxKeysPerAddress { get; set; }

    public IEnumerable<string> SplitDomains() => Domains.SelectMany(d => d.Split(Separators, StringSplitOptions.RemoveEmptyEntries));

    public PolicySettings ToSettings() => new(
        [.. SplitDomains().Select(d => BlockTarget.NormaliseDomain(d)!).Distinct(StringComparer.Ordinal)], IncludeSubdomains, MaxKeysPerAddress);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var domain in SplitDomains())
        {
            if (BlockTarget.NormaliseDomain(domain) is null)
            {
                yield return new ValidationResult($"Policy:Domains holds '{domain}', which is not a domain name.", [nameof(Domains)]);
            }
        }
    }
}
