namespace Keyserver.Web.Observability;

/// <summary>The endpoint label of request metrics and logs: a handful of values, never the raw path.</summary>
internal static class EndpointKind
{
    public static string Of(PathString path, IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (path.Equals("/pks/lookup", StringComparison.OrdinalIgnoreCase))
        {
            // HKP draft §3.1: the op parameter says what a lookup is.
            return query["op"].ToString().ToLowerInvariant() switch
            {
                "get" => "hkp_get",
                "index" or "vindex" => "hkp_index",
                "stats" => "hkp_stats",
                _ => "hkp_other",
            };
        }

        return path.Value switch
        {
            _ when path.Equals("/pks/add", StringComparison.OrdinalIgnoreCase) => "hkp_add",
            // draft-ietf-openpgp-hkp-01 §5: the category is the first path segment after /pks/v2.
            _ when path.StartsWithSegments("/pks/v2/certs/by-identity", StringComparison.OrdinalIgnoreCase)
                || path.StartsWithSegments("/pks/v2/certs/by-vfingerprint", StringComparison.OrdinalIgnoreCase)
                || path.StartsWithSegments("/pks/v2/certs/by-keyid", StringComparison.OrdinalIgnoreCase) => "hkp2_certs",
            _ when path.Equals("/pks/v2/certs", StringComparison.OrdinalIgnoreCase) => "hkp2_submit",
            _ when path.StartsWithSegments("/pks/v2/index", StringComparison.OrdinalIgnoreCase) => "hkp2_index",
            _ when path.StartsWithSegments("/pks/v2", StringComparison.OrdinalIgnoreCase) => "hkp2_other",
            _ when path.StartsWithSegments("/vks", StringComparison.OrdinalIgnoreCase) => "vks",
            _ when path.StartsWithSegments("/.well-known/openpgpkey", StringComparison.OrdinalIgnoreCase) => "wkd",
            _ when path.StartsWithSegments("/healthz", StringComparison.OrdinalIgnoreCase) => "health",
            _ when path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase) => "metrics",
            _ when path.StartsWithSegments("/pks", StringComparison.OrdinalIgnoreCase) => "hkp_other",
            _ => "portal",
        };
    }
}
