using Keyserver.Core.Keys;

namespace Keyserver.Web.Hkp;

/// <summary>
/// What legacy <c>/pks/lookup</c> may serve. GnuPG 2.2 aborts a whole import when one certificate in
/// the answer is v6 (RFC 9580), so v6 keys are left out of every legacy answer (get, index, vindex),
/// as Hockeypuck does; they are served by HKP v2 and the VKS API. Counts reflect what is served.
/// </summary>
internal static class LegacyKeys
{
    public const string OnlyV6Message =
        "Legacy HKP does not serve v6 (RFC 9580) keys, to protect older clients; use /pks/v2/ or /vks/v1/.";

    public static IReadOnlyList<KeyRecord> Servable(IReadOnlyList<KeyRecord> keys) =>
        keys.All(k => k.Version < 6) ? keys : keys.Where(k => k.Version < 6).ToList();
}
