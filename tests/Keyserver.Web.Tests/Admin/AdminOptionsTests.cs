using System.ComponentModel.DataAnnotations;
using Keyserver.Web.Admin;

namespace Keyserver.Web.Tests.Admin;

/// <summary>The Admin section's validation, and a host that will not start on a bad value.</summary>
public sealed class AdminOptionsTests
{
    private static List<string> Problems(AdminOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Select(r => r.ErrorMessage!).ToList();
    }

    private static AdminOptions WithOidc(Action<AdminOidcOptions> set)
    {
        var options = new AdminOptions();
        set(options.Oidc);
        return options;
    }

    [Fact]
    public void Defaults_Valid_NoAdminsNoOidc_EightHoursIdle()
    {
        var options = new AdminOptions();

        Assert.Empty(Problems(options));
        Assert.Empty(options.NormalisedAddresses());
        Assert.False(options.Oidc.Enabled);
        Assert.Equal(TimeSpan.FromHours(8), options.IdleTimeout);
    }

    [Fact]
    public void Addresses_NormalisedAndBadOnesNamed()
    {
        Assert.Equal(["admin@example.org"], new AdminOptions { Addresses = ["Admin@Example.ORG"] }.NormalisedAddresses());
        Assert.Contains("Admin:Addresses:1 is not a plain e-mail address.", Problems(new AdminOptions { Addresses = ["a@example.org", "Eve <eve@example.org>"] }));
    }

    [Fact]
    public void IdleTimeout_OutOfRange_Named() =>
        Assert.Contains(Problems(new AdminOptions { IdleTimeout = TimeSpan.Zero }), p => p.Contains("Admin:IdleTimeout", StringComparison.Ordinal));

    [Fact]
    public void Oidc_Complete_Valid() =>
        Assert.Empty(Problems(WithOidc(o =>
        {
            o.Authority = "https://idp.example.org";
            o.ClientId = "keyserver";
            o.ClientSecret = "s3cret";
            o.AllowedAddresses = ["admin@example.org"];
        })));

    [Theory]
    [InlineData("http://idp.example.org", "id", "secret", "g", "Admin:Oidc:Authority must be an absolute https URL.")]
    [InlineData("not a url", "id", "secret", "g", "Admin:Oidc:Authority must be an absolute https URL.")]
    [InlineData("https://idp.example.org", "", "secret", "g", "Admin:Oidc:ClientId is required")]
    [InlineData("https://idp.example.org", "id", null, "g", "Admin:Oidc:ClientSecret is required")]
    [InlineData("https://idp.example.org", "id", "secret", null, "Admin:Oidc needs AllowedGroups or AllowedAddresses")]
    [InlineData(null, "id", null, null, "Admin:Oidc:Authority must be set")]
    public void Oidc_Incomplete_FailsNamingTheKey(string? authority, string? clientId, string? secret, string? group, string expected)
    {
        var problems = Problems(WithOidc(o =>
        {
            o.Authority = authority;
            o.ClientId = clientId;
            o.ClientSecret = secret;
            o.AllowedGroups = group is null ? [] : [group];
        }));

        Assert.Contains(problems, p => p.StartsWith(expected, StringComparison.Ordinal));
    }
}
