namespace SifSign.Tests.Ecl;

public sealed class EclEvaluatorTests
{
    private const string Listed = "5994BE54C31CF1B5E1994F987C52CF6D055F072B";
    private const string Listed2 = "7064B1D6EFF01B1262FED3F03581D99FE87EAFD1";
    private const string Unlisted = "12045C8C0B1004D058DE4BEDA20C27EE7FF7BA84";
    private const string Image = "/srv/images/app.sif";

    public static TheoryData<EclMode, string, bool> Matrix() => new()
    {
        // mode, case, allowed
        { EclMode.Whitelist, "listed", true },
        { EclMode.Whitelist, "unlisted", false },
        { EclMode.Whitelist, "listed-unknown-key", false },
        { EclMode.Whitelist, "unsigned", false },
        { EclMode.Whitelist, "tampered", false },
        { EclMode.Whitestrict, "listed", true },
        { EclMode.Whitestrict, "unlisted", false },
        { EclMode.Whitestrict, "listed-unknown-key", false },
        { EclMode.Whitestrict, "unsigned", false },
        { EclMode.Whitestrict, "tampered", false },
        { EclMode.Blacklist, "listed", false },
        { EclMode.Blacklist, "unlisted", true },
        { EclMode.Blacklist, "listed-unknown-key", false },
        { EclMode.Blacklist, "unsigned", false },
        { EclMode.Blacklist, "tampered", false },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Evaluate_ModeBySignatureCase_MatchesApptainer(EclMode mode, string signatureCase, bool allowed)
    {
        var config = Config(mode, "/srv/images", Listed);

        var decision = EclEvaluator.Evaluate(config, Image, Case(signatureCase));

        Assert.Equal(allowed, decision.Allowed);
        Assert.Equal("g", decision.Group?.TagName);
        Assert.False(string.IsNullOrWhiteSpace(decision.Reason));
    }

    [Fact]
    public void Evaluate_Tampered_ReasonCarriesVerifierError()
    {
        var decision = EclEvaluator.Evaluate(Config(EclMode.Blacklist, "/srv/images", Listed), Image, Case("tampered"));

        Assert.Equal("image signature not valid: data object integrity compromised: 2", decision.Reason);
    }

    [Theory]
    [InlineData(EclMode.Whitelist, "image not signed by required entities")]
    [InlineData(EclMode.Whitestrict, "image not signed by required entities")]
    public void Evaluate_WhitelistsRefusingUnlistedSigner_SayRequiredEntities(EclMode mode, string reason)
    {
        var decision = EclEvaluator.Evaluate(Config(mode, "/srv/images", Listed), Image, Case("unlisted"));

        Assert.StartsWith("image prohibited by ECL: " + reason, decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_BlacklistedSigner_SaysForbiddenEntity()
    {
        var decision = EclEvaluator.Evaluate(Config(EclMode.Blacklist, "/srv/images", Listed), Image, Case("listed"));

        Assert.Contains("image signed by a forbidden entity", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_FingerprintCaseDiffers_StillMatches()
    {
        var config = Config(EclMode.Whitelist, "/srv/images", Listed.ToLowerInvariant());

        var decision = EclEvaluator.Evaluate(config, Image, new EclImageSignatures([new EclSignature(1, Listed, true)]));

        Assert.True(decision.Allowed);
    }

    [Fact]
    public void Evaluate_WhitestrictWithOneOfTwoListedSigners_IsProhibited()
    {
        var config = Config(EclMode.Whitestrict, "/srv/images", Listed, Listed2);

        var one = EclEvaluator.Evaluate(config, Image, new EclImageSignatures([new EclSignature(1, Listed, true)]));
        var both = EclEvaluator.Evaluate(config, Image, new EclImageSignatures([new EclSignature(1, Listed, true), new EclSignature(1, Listed2, true)]));

        Assert.False(one.Allowed);
        Assert.Contains(Listed2, one.Reason, StringComparison.Ordinal);
        Assert.True(both.Allowed);
    }

    [Fact]
    public void Evaluate_WhitelistSignerCoversOnlyOneOfTwoGroups_IsProhibited()
    {
        var signatures = new EclImageSignatures([new EclSignature(1, Listed, true), new EclSignature(2, Unlisted, true)]);

        var decision = EclEvaluator.Evaluate(Config(EclMode.Whitelist, "/srv/images", Listed), Image, signatures);

        Assert.False(decision.Allowed);
    }

    [Fact]
    public void Evaluate_BlacklistedSignerOnAnyGroup_IsProhibited()
    {
        var signatures = new EclImageSignatures([new EclSignature(1, Unlisted, true), new EclSignature(2, Listed, true)]);

        var decision = EclEvaluator.Evaluate(Config(EclMode.Blacklist, "/srv/images", Listed), Image, signatures);

        Assert.False(decision.Allowed);
    }

    [Fact]
    public void Evaluate_DsseSignatureOnly_DoesNotSatisfyWhitelist()
    {
        var decision = EclEvaluator.Evaluate(
            Config(EclMode.Whitelist, "/srv/images", Listed), Image, new EclImageSignatures([new EclSignature(1, string.Empty, true)]));

        Assert.False(decision.Allowed);
    }

    [Fact]
    public void Evaluate_WhitestrictWithNoListedKeys_AllowsAnyVerifiedImageAsApptainerDoes()
    {
        var decision = EclEvaluator.Evaluate(Config(EclMode.Whitestrict, "/srv/images"), Image, Case("unlisted"));

        Assert.True(decision.Allowed);
    }

    [Fact]
    public void Evaluate_NotActivated_AllowsEvenUnsigned()
    {
        var config = new EclConfig(false, false, Config(EclMode.Whitelist, "/srv/images", Listed).ExecGroups);

        var decision = EclEvaluator.Evaluate(config, Image, Case("unsigned"));

        Assert.True(decision.Allowed);
        Assert.Null(decision.Group);
    }

    [Fact]
    public void Evaluate_NoSignaturesAndNoErrorFromCaller_IsProhibited()
    {
        var decision = EclEvaluator.Evaluate(Config(EclMode.Blacklist, "/srv/images", Listed), Image, new EclImageSignatures([]));

        Assert.False(decision.Allowed);
        Assert.Contains("not signed", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void SelectGroup_ImageDirectory_PicksMatchingGroupThenFallback()
    {
        var config = new EclConfig(true, false,
        [
            new EclExecGroup("fallback", EclMode.Blacklist, string.Empty, []),
            new EclExecGroup("images", EclMode.Whitelist, "/srv/images", [Listed]),
        ]);

        Assert.Equal("images", EclEvaluator.SelectGroup(config, "/srv/images/a.sif")?.TagName);
        Assert.Equal("images", EclEvaluator.SelectGroup(config, "/srv/other/../images/a.sif")?.TagName);
        Assert.Equal("fallback", EclEvaluator.SelectGroup(config, "/srv/images/sub/a.sif")?.TagName);
        Assert.Equal("fallback", EclEvaluator.SelectGroup(config, "/tmp/a.sif")?.TagName);
    }

    [Fact]
    public void Evaluate_ImageOutsideEveryGroup_IsProhibited()
    {
        var decision = EclEvaluator.Evaluate(Config(EclMode.Blacklist, "/srv/images", Listed), "/home/u/a.sif", Case("unlisted"));

        Assert.False(decision.Allowed);
        Assert.Equal("/home/u/a.sif not part of any execgroup", decision.Reason);
        Assert.Null(decision.Group);
    }

    private static EclConfig Config(EclMode mode, string dirPath, params string[] fingerprints) =>
        new(true, false, [new EclExecGroup("g", mode, dirPath, fingerprints)]);

    private static EclImageSignatures Case(string name) => name switch
    {
        "listed" => new([new EclSignature(1, Listed, true)]),
        "unlisted" => new([new EclSignature(1, Unlisted, true)]),
        "listed-unknown-key" => new([new EclSignature(1, Listed, false)]),
        "unsigned" => new([], "signature not found for object group 1"),
        "tampered" => new([new EclSignature(1, Listed, true)], "data object integrity compromised: 2"),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
