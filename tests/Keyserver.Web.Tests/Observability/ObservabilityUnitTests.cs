using System.ComponentModel.DataAnnotations;
using Keyserver.Web.Hosting;
using Keyserver.Web.Observability;
using Microsoft.AspNetCore.Http;

namespace Keyserver.Web.Tests.Observability;

public sealed class LogRedactionTests
{
    [Theory]
    [InlineData("/pks/lookup", "?op=get&search=alice%40example.org", "/pks/lookup?op=get&search=***@example.org")]
    [InlineData("/pks/lookup", "?op=index&search=Alice+%3Calice.b%2Bx%40example.org%3E", "/pks/lookup?op=index&search=Alice <***@example.org>")]
    [InlineData("/vks/v1/by-email/bob%40example.org", null, "/vks/v1/by-email/***@example.org")]
    [InlineData("/verify/AbCdEf123_-", null, "/verify/***")]
    [InlineData("/manage/AbCdEf123_-", "?x=1", "/manage/***?x=1")]
    [InlineData("/manage", "?token=AbCd&email=carol%40example.org", "/manage?token=***&email=***@example.org")]
    [InlineData("/pks/add", "?keytext=-----BEGIN", "/pks/add?keytext=***")]
    [InlineData("/pks/lookup", "?op=stats", "/pks/lookup?op=stats")]
    [InlineData("/pks/lookup", "?search=a%0Afake%20line", "/pks/lookup?search=a?fake line")]
    [InlineData("/", "", "/")]
    [InlineData("/.well-known/openpgpkey/example.org/hu/iy9q119eutrkn8s1mk4r39qejnbu3n5q", "?l=Joe.Doe", "/.well-known/openpgpkey/example.org/hu/***?l=***")]
    [InlineData("/.well-known/openpgpkey/hu/iy9q119eutrkn8s1mk4r39qejnbu3n5q", "?l=joe.doe", "/.well-known/openpgpkey/hu/***?l=***")]
    public void Redact_MasksAddressesTokensKeysAndControlCharacters(string path, string? query, string expected) =>
        Assert.Equal(expected, LogRedaction.Redact(path, query));

    [Fact]
    public void Redact_MalformedEscapes_KeptAsTheyCame() =>
        Assert.Equal("/pks/lookup?search=%zz", LogRedaction.Redact("/pks/lookup", "?search=%zz"));
}

public sealed class EndpointKindTests
{
    [Theory]
    [InlineData("/pks/lookup", "?op=get&search=x", "hkp_get")]
    [InlineData("/pks/lookup", "?op=GET&search=x", "hkp_get")]
    [InlineData("/pks/lookup", "?op=index&search=x", "hkp_index")]
    [InlineData("/pks/lookup", "?op=vindex&search=x", "hkp_index")]
    [InlineData("/pks/lookup", "?op=stats", "hkp_stats")]
    [InlineData("/pks/lookup", "?op=x-unknown", "hkp_other")]
    [InlineData("/pks/lookup", "", "hkp_other")]
    [InlineData("/pks/add", "", "hkp_add")]
    [InlineData("/pks/anything", "", "hkp_other")]
    [InlineData("/pks/v2/certs/by-identity/a@example.org", "", "hkp2_certs")]
    [InlineData("/pks/v2/certs/by-vfingerprint/06/AB", "", "hkp2_certs")]
    [InlineData("/pks/v2/certs/by-keyid/AB", "", "hkp2_certs")]
    [InlineData("/pks/v2/certs", "", "hkp2_submit")]
    [InlineData("/pks/v2/index/a@example.org", "", "hkp2_index")]
    [InlineData("/pks/v2/canonical/a@example.org", "", "hkp2_other")]
    [InlineData("/pks/v2", "", "hkp2_other")]
    [InlineData("/vks/v1/by-fingerprint/AB", "", "vks")]
    [InlineData("/.well-known/openpgpkey/hu/x", "", "wkd")]
    [InlineData("/healthz", "", "health")]
    [InlineData("/metrics", "", "metrics")]
    [InlineData("/", "", "portal")]
    [InlineData("/keys/AB", "", "portal")]
    public void Of_NamesOneOfAFewKinds(string path, string query, string expected) =>
        Assert.Equal(expected, EndpointKind.Of(new PathString(path), new QueryCollection(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query))));
}

public sealed class KeyserverMetricsLabelTests
{
    [Theory]
    [InlineData(200, "2xx")]
    [InlineData(404, "4xx")]
    [InlineData(599, "5xx")]
    [InlineData(99, "other")]
    [InlineData(600, "other")]
    public void StatusClass_GroupsByHundreds(int status, string expected) => Assert.Equal(expected, KeyserverMetrics.StatusClass(status));

    [Theory]
    [InlineData(null, "unusable")]
    [InlineData("secret key material is never accepted", "secret_key")]
    [InlineData("key exceeds 1048576 bytes", "too_large")]
    [InlineData("the key would be 1048600 bytes after merging (limit MaxKeyBytes = 1048576)", "too_large")]
    [InlineData("the key would have 101 user IDs (limit MaxUserIds = 100)", "too_many_user_ids")]
    [InlineData("key has 120 user IDs (limit 100)", "too_many_user_ids")]
    [InlineData("key would have 101 subkeys (limit 100)", "too_many_subkeys")]
    [InlineData("unsupported public-key algorithm 99", "unsupported_algorithm")]
    [InlineData("no valid self-signed user ID or direct-key signature left", "no_valid_self_signature")]
    [InlineData("bad packet header at offset 3", "malformed")]
    public void RejectionReason_IsAFixedLabel(string? reason, string expected) => Assert.Equal(expected, KeyserverMetrics.RejectionReason(reason));
}

public sealed class StartupFailureTests
{
    [Fact]
    public void Describe_AddressInUse_IsFailureNamingUrls()
    {
        var error = new IOException("Failed to bind to address http://127.0.0.1:80: address already in use.", new SocketException((int)SocketError.AddressAlreadyInUse));
        var (message, code) = StartupFailure.Describe(error, StartupStage.Listen);
        Assert.Equal(ExitCode.Failure, code);
        Assert.StartsWith("Cannot listen: Failed to bind to address http://127.0.0.1:80", message, StringComparison.Ordinal);
        Assert.Contains("--urls", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_OptionsValidation_IsConfigurationWithTheOptionsOwnMessage()
    {
        var error = new OptionsValidationException("x", typeof(LimitsOptions), ["Limits:MaxUploadBytes must be between 1 and 2147483647."]);
        Assert.Equal(
            ("Invalid configuration: Limits:MaxUploadBytes must be between 1 and 2147483647.", ExitCode.Configuration),
            StartupFailure.Describe(error, StartupStage.Store));
    }

    [Fact]
    public void Describe_IOExceptionOpeningStore_NamesDataDirectorySetting_OnOneLine()
    {
        var (message, code) = StartupFailure.Describe(new IOException("locked\nby another"), StartupStage.Store);
        Assert.Equal(ExitCode.Failure, code);
        Assert.Equal("Cannot open the key store (Storage:DataDirectory): locked by another", message);
    }

    [Fact]
    public void Describe_Unexpected_OneLineWithType()
    {
        var (message, code) = StartupFailure.Describe(new InvalidOperationException("odd\r\nthing"), StartupStage.Listen);
        Assert.Equal(ExitCode.Failure, code);
        Assert.Equal("Cannot start: InvalidOperationException: odd thing", message);
    }
}

public sealed class ObservabilityOptionsTests
{
    public static TheoryData<string, bool> MetricsUrls => new()
    {
        { "", true },
        { "http://127.0.0.1:9091", true },
        { "http://127.0.0.1:9091;http://[::1]:9092", true },
        { "http://127.0.0.1", false },
        { "http://127.0.0.1:0", false },
        { "https://127.0.0.1:9091", false },
        { "http://127.0.0.1:9091/metrics", false },
        { "9091", false },
    };

    [Theory]
    [MemberData(nameof(MetricsUrls))]
    public void MetricsUrls_NeedHttpAndAnExplicitPort(string urls, bool valid) =>
        Assert.Equal(valid, Validate(new MetricsOptions { Urls = urls }));

    [Theory]
    [InlineData(new string[0], new string[0], true)]
    [InlineData(new[] { "127.0.0.1", "::1" }, new[] { "10.0.0.0/8", "fd00::/8" }, true)]
    [InlineData(new[] { "localhost" }, new string[0], false)]
    [InlineData(new string[0], new[] { "10.0.0.0" }, false)]
    [InlineData(new string[0], new[] { "10.0.0.0/33" }, false)]
    public void Proxy_AddressesAndNetworksMustParse(string[] proxies, string[] networks, bool valid) =>
        Assert.Equal(valid, Validate(new ProxyOptions { KnownProxies = proxies, KnownNetworks = networks }));

    private static bool Validate(object options) =>
        Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true);
}
