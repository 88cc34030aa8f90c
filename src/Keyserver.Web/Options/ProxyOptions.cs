using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Keyserver.Web.Options;

/// <summary>
/// Reverse proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed (section
/// <c>Proxy</c>). Empty by default: forwarded headers are then ignored from everyone.
/// </summary>
internal sealed class ProxyOptions : IValidatableObject
{
    public const string Section = "Proxy";

    /// <summary>Addresses of the proxies, e.g. <c>127.0.0.1</c>.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks the proxies sit in, in CIDR notation, e.g. <c>10.0.0.0/8</c>.</summary>
    public string[] KnownNetworks { get; set; } = [];

    public bool Enabled => KnownProxies.Length > 0 || KnownNetworks.Length > 0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in KnownProxies.Where(p => !IPAddress.TryParse(p, out _)))
        {
            yield return new ValidationResult($"Proxy:KnownProxies must hold IP addresses (got '{proxy}').", [nameof(KnownProxies)]);
        }

        foreach (var network in KnownNetworks.Where(n => !IPNetwork.TryParse(n, out _)))
        {
            yield return new ValidationResult($"Proxy:KnownNetworks must hold networks such as 10.0.0.0/8 (got '{network}').", [nameof(KnownNetworks)]);
        }
    }
}
