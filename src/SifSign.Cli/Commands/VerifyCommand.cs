using System.Globalization;
using System.Text;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SifSign.Cli.Console;
using SifSign.Dsse;
using SifSign.Hkp;
using SifSign.Integrity;
using SifSign.Keys;
using SifSign.Pki;
using SifSign.Sif;
using SifSign.Text;

namespace SifSign.Cli.Commands;

internal sealed class VerifyCommand : Command
{
    public VerifyCommand(CliContext context, GlobalOptions global)
        : base("verify", "Verify the signatures of a SIF image")
    {
        Options.Add(Key);
        Options.Add(Certificate);
        Options.Add(Intermediates);
        Options.Add(Roots);
        Options.Add(OcspVerify);
        Options.Add(GroupId);
        Options.Add(SifId);
        Options.Add(LegacyInsecure);
        Options.Add(All);
        Options.Add(Local);
        Options.Add(Url);
        Options.Add(Json);
        Options.Add(Refresh);
        Arguments.Add(Image);
        Validators.Add(result =>
        {
            if (result.GetResult(GroupId) is not null && result.GetResult(SifId) is not null)
            {
                result.AddError("--group-id and --sif-id cannot be used together");
            }
        });
        SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, ExitCodes.Failure, () =>
            ExecuteAsync(parse, context, global, cancellationToken)));
    }

    public const string KeyVariable = "APPTAINER_VERIFY_KEY";

    public const string CertificateVariable = "APPTAINER_VERIFY_CERTIFICATE";

    public const string IntermediatesVariable = "APPTAINER_VERIFY_INTERMEDIATES";

    public const string RootsVariable = "APPTAINER_VERIFY_ROOTS";

    public const string OcspVariable = "APPTAINER_VERIFY_OCSP";

    public Option<string?> Key { get; } = new("--key") { Description = $"Verify DSSE signatures with this PEM public key (also ${KeyVariable})" };

    public Option<string?> Certificate { get; } = new("--certificate")
    {
        Description = $"Verify DSSE signatures with the key of this PEM leaf certificate, once its chain checks; takes precedence over --key (also ${CertificateVariable})",
    };

    public Option<string?> Intermediates { get; } = new("--certificate-intermediates")
    {
        Description = $"PEM file of intermediate certificates for --certificate (also ${IntermediatesVariable})",
    };

    public Option<string?> Roots { get; } = new("--certificate-roots")
    {
        Description = $"PEM file of trusted root certificates for --certificate (default: the system roots; also ${RootsVariable})",
    };

    public Option<bool> OcspVerify { get; } = new("--ocsp-verify") { Description = $"Check every certificate of the --certificate chain with OCSP; no soft fail (also ${OcspVariable})" };

    public Option<uint?> GroupId { get; } = new("--group-id", "-g", "--groupid") { Description = "Verify only this object group" };

    public Option<uint?> SifId { get; } = new("--sif-id", "-i", "--id") { Description = "Verify only this object" };

    public Option<bool> LegacyInsecure { get; } = new("--legacy-insecure") { Description = "Verify pre-3.6 (legacy, insecure) signatures" };

    public Option<bool> All { get; } = new("--all", "-a") { Description = "With --legacy-insecure: verify every object" };

    public Option<bool> Local { get; } = new("--local", "-l") { Description = "Use only the local keyring, never a keyserver (also $APPTAINER_LOCAL_VERIFY=true)" };

    public Option<string?> Url { get; } = GlobalOptions.CreateUrlOption();

    public Option<bool> Json { get; } = new("--json", "-j") { Description = "Print the result as JSON (Apptainer's layout) on stdout" };

    public Option<bool> Refresh { get; } = new("--refresh")
    {
        Description = "Fetch each signing key again from the keyserver first: a key revoked there fails verification (an unreachable keyserver is a warning)",
    };

    public Argument<string> Image { get; } = new("IMAGE") { Description = "The SIF image to verify" };

    private async Task<int> ExecuteAsync(ParseResult parse, CliContext context, GlobalOptions global, CancellationToken cancellationToken)
    {
        var path = parse.GetValue(Image)!;
        var options = new VerifyOptions(parse.GetValue(GroupId), parse.GetValue(SifId), parse.GetValue(LegacyInsecure), parse.GetValue(All)) { Time = context.Time };
        var certificate = parse.GetValue(Certificate) ?? NonEmpty(context.GetEnvironmentVariable(CertificateVariable));
        var keyPath = parse.GetValue(Key) ?? NonEmpty(context.GetEnvironmentVariable(KeyVariable));
        LayeredVerificationKeys? keys = null;
        var globalKeys = new GlobalKeys();
        if (certificate is not null)
        {
            context.Info($"Verifying image with key material from certificate '{certificate}'");
        }
        else if (keyPath is not null)
        {
            context.Info($"Verifying image with key material from '{keyPath}'");
        }
        else
        {
            keys = CreatePgpKeys(parse, context, global, globalKeys, Url, Local, cancellationToken);
            context.Info("Verifying image with PGP key material");
        }

        VerifyResult result;
        using (var image = SifImage.Open(path))
        {
            // As Apptainer, certificate and OCSP checks run once the image is open, before any signature is read.
            try
            {
                if (certificate is not null)
                {
                    var leafKey = await CertificateKeyAsync(parse, context, certificate, cancellationToken).ConfigureAwait(false);
                    options = options with { Envelope = new DsseEnvelopeVerifier([leafKey]) };
                }
                else if (keyPath is not null)
                {
                    options = options with { Envelope = new DsseEnvelopeVerifier([PemMaterial.LoadVerificationKey(keyPath)]) };
                }
            }
            catch (CliException e)
            {
                throw new CliException($"Failed to verify container: {e.Message}", e);
            }

            // The bar is erased before the report is printed: stdout and stderr share the terminal.
            using (var progress = ProgressBar.Create(context, "Verifying", image.FileLength))
            {
                IVerificationKeys? lookup = keys;
                if (keys is not null && parse.GetValue(Refresh))
                {
                    lookup = new RefreshingVerificationKeys(
                        keys,
                        () => CreateClientForRefresh(parse.GetValue(Url), context),
                        context.Warning,
                        cancellationToken);
                }

                result = ImageVerifier.Verify(image, options, lookup, progress);
            }

            if (parse.GetValue(Json))
            {
                context.Out.Write(FormatJson(result, image, keys));
            }
            else
            {
                context.Out.Write(FormatText(result, keys, globalKeys));
            }
        }

        if (!result.Verified)
        {
            throw new CliException($"Failed to verify container: {result.Error?.ToString() ?? "integrity: verification failed"}");
        }

        context.Info($"Verified signature(s) from image '{path}'");
        return ExitCodes.Success;
    }

    private static LayeredVerificationKeys CreatePgpKeys(ParseResult parse, CliContext context, GlobalOptions options, GlobalKeys global, Option<string?> urlOption, Option<bool> localOption, CancellationToken cancellationToken)
    {
        var keyring = options.OpenKeyring(parse, context);
        var url = parse.GetValue(urlOption);
        var local = parse.GetValue(localOption) || IsTrue(context.GetEnvironmentVariable("APPTAINER_LOCAL_VERIFY"));
        Func<HkpClient>? keyserver = local ? null : () =>
        {
            try
            {
                return Keyservers.CreateClient(url, context);
            }
            catch (CliException e)
            {
                throw new HkpException(e.Message, e);
            }
        };
        return new LayeredVerificationKeys(
            keyring.ReadPublic().Concat(global.Read(context)),
            keyserver,
            message => context.Warning($"failed to get key material: {message}"),
            cancellationToken);
    }

    /// <summary>The leaf's key once its chain is valid (Apptainer's verify --certificate) and, if asked, proven unrevoked (RFC 6960 OCSP).</summary>
    private async Task<PemVerificationKey> CertificateKeyAsync(ParseResult parse, CliContext context, string certificate, CancellationToken cancellationToken)
    {
        var leaf = PemMaterial.LoadLeaf(certificate);
        var intermediates = (parse.GetValue(Intermediates) ?? NonEmpty(context.GetEnvironmentVariable(IntermediatesVariable))) is { } i ? PemMaterial.LoadPool(i) : null;
        var roots = (parse.GetValue(Roots) ?? NonEmpty(context.GetEnvironmentVariable(RootsVariable))) is { } r ? PemMaterial.LoadPool(r) : null;
        CertificateChainResult chain;
        try
        {
            chain = new CertificateChainValidator(context.Time).Validate(leaf, intermediates, roots);
        }
        catch (CertificateException e)
        {
            throw new CliException($"certificate {certificate} not valid: {e.Message}", e);
        }

        if (parse.GetValue(OcspVerify) || IsTrue(context.GetEnvironmentVariable(OcspVariable)))
        {
            using var http = new HttpClient(context.CreateHttpHandler());
            try
            {
                await new OcspChecker(http, time: context.Time).CheckChainAsync(chain.Chain, cancellationToken).ConfigureAwait(false);
            }
            catch (OcspException e)
            {
                context.Warning(e.Message);
                throw new CliException("OCSP verification has failed", e);
            }
        }

        return chain.LeafKey;
    }

    private static HkpClient CreateClientForRefresh(string? url, CliContext context)
    {
        try
        {
            return Keyservers.CreateClient(url, context);
        }
        catch (CliException e)
        {
            throw new HkpException(e.Message, e);
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>Go's strconv.ParseBool truth values, as Apptainer reads its flag variables.</summary>
    private static bool IsTrue(string? value) => value is "1" or "t" or "T" or "true" or "TRUE" or "True";

    /// <summary>Apptainer's text report (outputVerify): one block per signature, stdout.</summary>
    internal static string FormatText(VerifyResult result, LayeredVerificationKeys? keys, GlobalKeys? global = null)
    {
        var output = new StringBuilder();
        foreach (var check in result.Signatures)
        {
            if (check.Signer is { } signer)
            {
                var prefix = keys?.SourceOf(signer) == KeySource.Remote ? "[REMOTE]" : global?.Contains(signer) == true ? "[GLOBAL]" : "[LOCAL]";
                var primary = signer.GetPublicKey();
                output.Append(CultureInfo.InvariantCulture, $"{prefix,-18} Signing entity: {KeyIdentity.PrimaryUserId(primary)}\n");
                output.Append(CultureInfo.InvariantCulture, $"{prefix,-18} Fingerprint: {KeyIdentity.Fingerprint(primary)}\n");
            }

            if (check.VerifiedObjects.Count > 0)
            {
                output.Append("Objects verified:\n");
                output.Append(CultureInfo.InvariantCulture, $"{"ID",-4}|{"GROUP",-8}|{"LINK",-8}|TYPE\n");
                output.Append('-', 48).Append('\n');
                foreach (var descriptor in check.VerifiedObjects)
                {
                    var group = descriptor.GroupId == 0 ? "NONE" : descriptor.GroupId.ToString(CultureInfo.InvariantCulture);
                    var link = descriptor.RawLinkedId == 0 ? "NONE"
                        : descriptor.IsLinkedToGroup ? $"{descriptor.LinkedId} (G)"
                        : descriptor.LinkedId.ToString(CultureInfo.InvariantCulture);
                    output.Append(CultureInfo.InvariantCulture, $"{descriptor.Id,-4}|{group,-8}|{link,-8}|{descriptor.DataType.Name()}\n");
                }
            }

            if (check.Error is { } error)
            {
                output.Append(CultureInfo.InvariantCulture, $"\nError encountered during signature verification: {error.Message}\n");
            }
        }

        return output.ToString();
    }

    /// <summary>Apptainer's --json report (getJSONCallback + outputJSON): Go encoder, two-space indent.</summary>
    internal static string FormatJson(VerifyResult result, SifImage image, LayeredVerificationKeys? keys)
    {
        var entries = new List<string>();
        foreach (var check in result.Signatures)
        {
            string name = "unknown", fingerprint = string.Empty;
            bool keyLocal = false, keyCheck = false;
            if (check.Signer is PgpPublicKeyRing signer)
            {
                name = KeyIdentity.PrimaryUserId(signer.GetPublicKey());
                fingerprint = KeyIdentity.Fingerprint(signer.GetPublicKey()).ToLowerInvariant();
                keyLocal = keys?.SourceOf(signer) == KeySource.Local;
                keyCheck = true;
            }

            var objects = check.VerifiedObjects.Where(d => d.DataType != SifDataType.Signature).Select(d => (d, true)).ToList();
            if (check.Error is { Kind: IntegrityErrorKind.ObjectIntegrity, ObjectId: { } failed } && image.FindDescriptor(failed) is { } descriptor)
            {
                objects.Add((descriptor, false));
            }

            foreach (var (d, dataCheck) in objects)
            {
                entries.Add(
                    "    {\n" +
                    "      \"Signer\": {\n" +
                    $"        \"Partition\": {GoJson.Quote(d.DataType.Name())},\n" +
                    $"        \"Name\": {GoJson.Quote(name)},\n" +
                    $"        \"Fingerprint\": {GoJson.Quote(fingerprint)},\n" +
                    $"        \"KeyLocal\": {GoJson.Bool(keyLocal)},\n" +
                    $"        \"KeyCheck\": {GoJson.Bool(keyCheck)},\n" +
                    $"        \"DataCheck\": {GoJson.Bool(dataCheck)}\n" +
                    "      }\n" +
                    "    }");
            }
        }

        var signerKeys = entries.Count == 0 ? "null" : "[\n" + string.Join(",\n", entries) + "\n  ]";
        return "{\n" +
            $"  \"Signatures\": {result.Signatures.Count.ToString(CultureInfo.InvariantCulture)},\n" +
            $"  \"SignerKeys\": {signerKeys}\n" +
            "}\n";
    }
}
