using System.ComponentModel.DataAnnotations;

namespace Keyserver.Web.Options;

/// <summary>Per-client-address limit on <c>/pks/add</c> (section <c>RateLimit</c>).</summary>
internal sealed class RateLimitOptions
{
    public const string Section = "RateLimit";

    [Range(1, 1_000_000, ErrorMessage = "RateLimit:PermitsPerMinute must be between 1 and 1000000.")]
    public int PermitsPerMinute { get; set; } = 60;

    /// <summary>
    /// Lookup cost a client may spend per minute, separate from the upload budget: an exact lookup
    /// (fingerprint, key ID, address) costs 1, a word or user ID search costs
    /// <see cref="LookupSearchCost"/>, since it reads many keys.
    /// </summary>
    [Range(1, 10_000_000, ErrorMessage = "RateLimit:LookupsPerMinute must be between 1 and 10000000.")]
    public int LookupsPerMinute { get; set; } = 3000;

    [Range(1, 1000, ErrorMessage = "RateLimit:LookupSearchCost must be between 1 and 1000.")]
    public int LookupSearchCost { get; set; } = 20;

    /// <summary>Uploads that wait for a permit instead of being refused at once.</summary>
    [Range(0, 10_000, ErrorMessage = "RateLimit:QueueLimit must be between 0 and 10000.")]
    public int QueueLimit { get; set; }
}
