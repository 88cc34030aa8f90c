namespace SifSign.Sif;

/// <summary>
/// The display strings the reference tools print for SIF enumerations (the Go <c>String()</c> methods),
/// and the architecture codes of the header and partition descriptors.
/// </summary>
public static class SifNames
{
    private static readonly string[] Architectures =
    [
        "unknown", "386", "amd64", "arm", "arm64", "ppc64", "ppc64le", "mips", "mipsle", "mips64",
        "mips64le", "s390x", "riscv64", "loong64",
    ];

    /// <summary>The name <c>sif list</c> prints for a data type, <c>Unknown</c> for other values.</summary>
    public static string Name(this SifDataType type) => type switch
    {
        SifDataType.Deffile => "Def.FILE",
        SifDataType.EnvVar => "Env.Vars",
        SifDataType.Labels => "JSON.Labels",
        SifDataType.Partition => "FS",
        SifDataType.Signature => "Signature",
        SifDataType.GenericJson => "JSON.Generic",
        SifDataType.Generic => "Generic/Raw",
        SifDataType.CryptoMessage => "Cryptographic Message",
        SifDataType.Sbom => "SBOM",
        SifDataType.OciRootIndex => "OCI.RootIndex",
        SifDataType.OciBlob => "OCI.Blob",
        _ => "Unknown",
    };

    /// <summary>The name of a file system type, <c>Unknown</c> for other values.</summary>
    public static string Name(this SifFsType type) => type switch
    {
        SifFsType.Squashfs => "Squashfs",
        SifFsType.Ext3 => "Ext3",
        SifFsType.ImmutableObject => "Archive",
        SifFsType.Raw => "Raw",
        SifFsType.EncryptedSquashfs => "Encrypted squashfs",
        SifFsType.GocryptfsSquashfs => "Gocryptfs squashfs",
        _ => "Unknown",
    };

    /// <summary>The name of a partition type (<c>*System</c> for the primary one).</summary>
    public static string Name(this SifPartType type) => type switch
    {
        SifPartType.System => "System",
        SifPartType.PrimarySystem => "*System",
        SifPartType.Data => "Data",
        SifPartType.Overlay => "Overlay",
        _ => "Unknown",
    };

    /// <summary>The Go <c>crypto.Hash</c> name of a signature hash type.</summary>
    public static string Name(this SifHashType type) => type switch
    {
        SifHashType.Sha256 => "SHA-256",
        SifHashType.Sha384 => "SHA-384",
        SifHashType.Sha512 => "SHA-512",
        SifHashType.Blake2s256 => "BLAKE2s-256",
        SifHashType.Blake2b256 => "BLAKE2b-256",
        _ => "unknown hash value " + ((int)type).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The name of a cryptographic message format.</summary>
    public static string Name(this SifFormatType type) => type switch
    {
        SifFormatType.OpenPgp => "OpenPGP",
        SifFormatType.Pem => "PEM",
        _ => "Unknown",
    };

    /// <summary>The name of a cryptographic message type.</summary>
    public static string Name(this SifMessageType type) => type switch
    {
        SifMessageType.ClearSignature => "Clear Signature",
        SifMessageType.RsaOaep => "RSA-OAEP",
        _ => "Unknown",
    };

    /// <summary>The name of an SBOM format (lower case, as the reference prints it).</summary>
    public static string Name(this SifSbomFormat format) => format switch
    {
        SifSbomFormat.CycloneDxJson => "cyclonedx-json",
        SifSbomFormat.CycloneDxXml => "cyclonedx-xml",
        SifSbomFormat.GitHubJson => "github-json",
        SifSbomFormat.SpdxJson => "spdx-json",
        SifSbomFormat.SpdxRdf => "spdx-rdf",
        SifSbomFormat.SpdxTagValue => "spdx-tag-value",
        SifSbomFormat.SpdxYaml => "spdx-yaml",
        SifSbomFormat.SyftJson => "syft-json",
        _ => "unknown",
    };

    /// <summary>
    /// The Go architecture name of a two-digit SIF architecture code (<c>"02"</c> → <c>amd64</c>);
    /// <c>unknown</c> for anything else.
    /// </summary>
    public static string ArchitectureName(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (code.Length == 2 && char.IsAsciiDigit(code[0]) && char.IsAsciiDigit(code[1]))
        {
            var index = ((code[0] - '0') * 10) + (code[1] - '0');
            if (index < Architectures.Length)
            {
                return Architectures[index];
            }
        }

        return "unknown";
    }

    /// <summary>
    /// The two-digit SIF code of a Go architecture name (<c>amd64</c> → <c>"02"</c>), or null if the
    /// name is not known.
    /// </summary>
    public static string? ArchitectureCode(string name)
    {
        var index = Array.IndexOf(Architectures, name);
        return index < 0 ? null : index.ToString("D2", System.Globalization.CultureInfo.InvariantCulture);
    }
}
