using System.ComponentModel.DataAnnotations;
using Keyserver.Core.Search;

namespace Keyserver.Web.Admin;

/// <summary>Who may use the admin console and how they sign in (section <c>Admin</c>).</summary>
internal sealed class AdminOptions : IValidatableObject
{
    public const string Section = "Admin";

    /// <summary>The admins' e-mail addresses; each gets a one-time sign-in link by mail. Empty: no one signs in by mail.</summary>
    public IReadOnlyList<string> Addresses { get; set; } = [];

    /// <summary>How long a session lasts without a request (default 8 hours).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00", ErrorMessage = "Admin:IdleTimeout must be between 00:01:00 and 7.00:00:00.")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Optional OpenID Connect sign-in.</summary>
    public AdminOidcOptions Oidc { get; set; } = new();

    /// <summary>The listed addresses, normalised as the search normalises them.</summary>
    public IReadOnlyCollection<string> NormalisedAddresses() =>
        Addresses.Select(SearchText.NormaliseAddress).OfType<string>().ToHashSet(StringComparer.Ordinal);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Addresses.Count; i++)
        {
            if (SearchText.NormaliseAddress(Addresses[i]) is null)
            {
                yield return new ValidationResult($"Admin:Addresses:{i} is not a plain e-mail address.", [nameof(Addresses)]);
            }
        }

        foreach (var problem in Oidc.Problems())
        {
            yield return new ValidationResult(problem, [nameof(Oidc)]);
        }
    }
}

/// <summary>OpenID Connect sign-in to the console (section <c>Admin:Oidc</c>); off unless Authority is set.</summary>
internal sealed class AdminOidcOptions
{
    /// <summary>The identity provider's issuer URL (https), where its discovery document is found.</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>Users whose <see cref="GroupClaim"/> holds one of these values are admins.</summary>
    public IReadOnlyList<string> AllowedGroups { get; set; } = [];

    /// <summary>Users whose verified <c>email</c> claim is one of these addresses are admins.</summary>
    public IReadOnlyList<string> AllowedAddresses { get; set; } = [];

    /// <summary>The claim that lists a user's groups (default <c>groups</c>).</summary>
    public string GroupClaim { get; set; } = "groups";

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);

    public IEnumerable<string> Problems()
    {
        if (!Enabled)
        {
            if (!string.IsNullOrWhiteSpace(ClientId) || !string.IsNullOrWhiteSpace(ClientSecret) || AllowedGroups.Count > 0 || AllowedAddresses.Count > 0)
            {
                yield return "Admin:Oidc:Authority must be set when other Admin:Oidc keys are.";
            }

            yield break;
        }

        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority) || authority.Scheme != Uri.UriSchemeHttps)
        {
            yield return "Admin:Oidc:Authority must be an absolute https URL.";
        }

        if (string.IsNullOrWhiteSpace(ClientId))
        {
            yield return "Admin:Oidc:ClientId is required when Admin:Oidc:Authority is set.";
        }

        if (string.IsNullOrWhiteSpace(ClientSecret))
        {
            yield return "Admin:Oidc:ClientSecret is required when Admin:Oidc:Authority is set.";
        }

        if (AllowedGroups.Count == 0 && AllowedAddresses.Count == 0)
        {
            yield return "Admin:Oidc needs AllowedGroups or AllowedAddresses: without them no one could sign in.";
        }

        for (var i = 0; i < AllowedAddresses.Count; i++)
        {
            if (SearchText.NormaliseAddress(AllowedAddresses[i]) is null)
            {
                yield return $"Admin:Oidc:AllowedAddresses:{i} is not a plain e-mail address.";
            }
        }

        if (string.IsNullOrWhiteSpace(GroupClaim))
        {
            yield return "Admin:Oidc:GroupClaim must not be empty.";
        }
    }
}
