using Keyserver.Core.Search;
using Keyserver.Core.Wkd;
using Keyserver.Web.Options;

namespace Keyserver.Web.Wkd;

/// <summary>
/// A request under <c>/.well-known/openpgpkey/</c>, parsed without side effects
/// (draft-koch-openpgp-webkey-service-22 §3.1). The advanced form names the domain in the path
/// (<c>/.well-known/openpgpkey/&lt;domain&gt;/hu/&lt;hash&gt;</c>, sent to <c>openpgpkey.&lt;domain&gt;</c>);
/// the direct form only in the Host header (<c>/.well-known/openpgpkey/hu/&lt;hash&gt;</c>).
/// </summary>
internal abstract record WkdRequest
{
    public const string Prefix = "/.well-known/openpgpkey";

    private WkdRequest()
    {
    }

    /// <summary>A key lookup: <c>hu/&lt;hash&gt;</c>, with the <c>l=</c> local part when the client sent one.</summary>
    public sealed record Key(string Domain, string Hash, string? LocalPart) : WkdRequest
    {
        /// <summary>The address the client asked for, when <see cref="LocalPart"/> is known.</summary>
        public string? Address => LocalPart is null ? null : LocalPart + "@" + Domain;
    }

    /// <summary>The <c>policy</c> file of a served domain (§4.5); always present.</summary>
    public sealed record Policy(string Domain) : WkdRequest;

    /// <summary>Not a resource of this directory (unknown path, domain not configured): 404.</summary>
    public sealed record NotFound(string Message) : WkdRequest;

    /// <summary>A request for a served domain that is malformed (bad hash or <c>l=</c>): 400.</summary>
    public sealed record Invalid(string Message) : WkdRequest;

    /// <summary>
    /// Classifies a request. <paramref name="path"/> is the decoded request path,
    /// <paramref name="host"/> the Host header's name (no port), <paramref name="localParts"/> every
    /// value of <c>l=</c>, <paramref name="domains"/> the served domains in lower-case ASCII.
    /// </summary>
    public static WkdRequest Parse(string? host, string? path, IReadOnlyList<string?> localParts, IReadOnlySet<string> domains)
    {
        ArgumentNullException.ThrowIfNull(localParts);
        ArgumentNullException.ThrowIfNull(domains);
        if (path is null || !path.StartsWith(Prefix + "/", StringComparison.Ordinal))
        {
            return new NotFound("Not found.");
        }

        var segments = path[(Prefix.Length + 1)..].Split('/');
        string? domain;
        ReadOnlySpan<string> rest;
        if (segments[0] is "hu" or "policy" or "submission-address")
        {
            // Direct form: the Host header is the mail domain itself.
            domain = WkdOptions.NormaliseDomain(host);
            rest = segments;
        }
        else
        {
            // Advanced form: the domain is in the path, whatever Host the request came to (a proxy or a
            // cross-host redirect may change it; gpg keeps the path, the draft's §3.1 puts the domain there).
            domain = WkdOptions.NormaliseDomain(segments[0]);
            rest = segments.AsSpan(1);
        }

        if (domain is null || !domains.Contains(domain))
        {
            return new NotFound("This server holds no Web Key Directory for that domain.");
        }

        return rest switch
        {
            ["policy"] => new Policy(domain),
            ["hu", var hash] => KeyRequest(domain, hash, localParts),
            _ => new NotFound("Not found."),
        };
    }

    private static WkdRequest KeyRequest(string domain, string hash, IReadOnlyList<string?> localParts)
    {
        if (!WkdHash.IsWellFormed(hash))
        {
            return new Invalid("Invalid WKD hash: expected 32 z-base-32 characters.");
        }

        switch (localParts)
        {
            case []:
                return new Key(domain, hash, null);
            case [{ } local] when !local.Contains('@', StringComparison.Ordinal)
                                  && SearchText.NormaliseAddress(local + "@" + domain) is not null:
                return new Key(domain, hash, local);
            default:
                return new Invalid("Invalid l parameter: expected the local part of the address, once.");
        }
    }
}
