namespace Keyserver.Web.Http;

/// <summary>The media types the server answers with.</summary>
internal static class MediaTypes
{
    /// <summary>Messages and errors meant for people.</summary>
    public const string PlainText = "text/plain; charset=utf-8";

    /// <summary>OpenPGP keys, armored or binary (RFC 3156 §7).</summary>
    public const string Keys = "application/pgp-keys";
}
