using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace Keyserver.Web.Options;

/// <summary>
/// The mail domains whose Web Key Directory this server answers (section <c>Wkd</c>). Empty: no
/// domain, every WKD request is answered 404.
/// </summary>
internal sealed class WkdOptions : IValidatableObject
{
    public const string Section = "Wkd";

    private const int MaxDomainLength = 253;
    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true };

    /// <summary>Mail domains such as <c>example.org</c>; international names are accepted and served in ASCII (IDNA).</summary>
    public string[] Domains { get; set; } = [];

    /// <summary>The configured domains, lower-case ASCII, for lookups.</summary>
    public IReadOnlySet<string> DomainSet => field ??= Domains.Select(NormaliseDomain).OfType<string>().ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// A domain name in lower-case ASCII (IDNA), or null when <paramref name="domain"/> is not a
    /// host name of at least two labels (RFC 1035 §2.3.1: letters, digits and inner hyphens, 63
    /// octets a label, 253 in all). Used for the configuration and for names in requests.
    /// </summary>
    /// <param name="domain">A domain from the configuration, a URL path or a Host header.</param>
    public static string? NormaliseDomain(string? domain)
    {
        if (string.IsNullOrEmpty(domain) || domain.Length > MaxDomainLength)
        {
            return null;
        }

        string ascii;
        try
        {
            ascii = Idn.GetAscii(domain).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null;
        }

        var labels = ascii.Split('.');
        return ascii.Length <= MaxDomainLength && labels.Length >= 2 && labels.All(IsLabel) ? ascii : null;

        static bool IsLabel(string label) =>
            label.Length is > 0 and <= 63 && label[0] != '-' && label[^1] != '-'
            && label.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var domain in Domains.Where(d => NormaliseDomain(d) is null))
        {
            yield return new ValidationResult($"Wkd:Domains must hold mail domains such as example.org (got '{domain}').", [nameof(Domains)]);
        }
    }
}

/// <summary>Registration of <see cref="WkdOptions"/>, in the style of the other options classes.</summary>
internal static class WkdOptionsRegistration
{
    public static IServiceCollection AddWkdOptions(this IServiceCollection services)
    {
        services.AddOptions<WkdOptions>()
            .BindConfiguration(WkdOptions.Section)
            // Without Wkd:Domains, the directory answers for the upload policy's domains (Policy:Domains,
            // in any of the forms that option takes).
            .PostConfigure<IOptions<PolicyOptions>>((options, policy) =>
            {
                if (options.Domains.Length == 0)
                {
                    options.Domains = [.. policy.Value.SplitDomains()];
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }
}
