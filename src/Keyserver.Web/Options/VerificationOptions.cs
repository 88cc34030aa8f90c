using System.ComponentModel.DataAnnotations;
using Keyserver.Core.Ingest;

namespace Keyserver.Web.Options;

/// <summary>How uploaded identities become published (section <c>Verification</c>).</summary>
internal sealed class VerificationOptions
{
    public const string Section = "Verification";

    /// <summary>
    /// Kept as text so that an unknown value fails validation with a message naming the key;
    /// binding straight to the enum would throw a conversion error (or accept any number).
    /// </summary>
    [Required(ErrorMessage = "Verification:Mode must be None or Email.")]
    [RegularExpression("(?i)^(None|Email)$", ErrorMessage = "Verification:Mode must be None or Email.")]
    public string Mode { get; set; } = nameof(PublicationMode.Email);

    public PublicationMode ToPublicationMode() => Enum.Parse<PublicationMode>(Mode, ignoreCase: true);
}
