using System.ComponentModel.DataAnnotations;

namespace Keyserver.Web.Verification;

/// <summary>The address users reach the server at (section <c>Keyserver</c>); links in mails start with it.</summary>
internal sealed class PublicUrlOptions : IValidatableObject
{
    public const string Section = "Keyserver";

    public string PublicUrl { get; set; } = "http://localhost:11371";

    /// <summary>The URL without a trailing slash, ready for <c>/verify/{token}</c>.</summary>
    public string BaseUrl => PublicUrl.TrimEnd('/');

    /// <summary>True for an absolute http(s) URL without query or fragment.</summary>
    public bool IsValid() =>
        Uri.TryCreate(PublicUrl, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsValid())
        {
            yield return new ValidationResult("Keyserver:PublicUrl must be an absolute http or https URL without query or fragment.", [nameof(PublicUrl)]);
        }
    }
}
