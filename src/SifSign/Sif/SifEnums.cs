namespace SifSign.Sif;

/// <summary>The type of a data object (descriptor field DataType, sylabs/sif pkg/sif sif.go).</summary>
public enum SifDataType
{
    /// <summary>Definition file (<c>Def.FILE</c>).</summary>
    Deffile = 0x4001,

    /// <summary>Environment variables (<c>Env.Vars</c>).</summary>
    EnvVar = 0x4002,

    /// <summary>JSON labels (<c>JSON.Labels</c>).</summary>
    Labels = 0x4003,

    /// <summary>File system partition (<c>FS</c>).</summary>
    Partition = 0x4004,

    /// <summary>Signature (<c>Signature</c>).</summary>
    Signature = 0x4005,

    /// <summary>Generic JSON (<c>JSON.Generic</c>).</summary>
    GenericJson = 0x4006,

    /// <summary>Generic raw data (<c>Generic/Raw</c>).</summary>
    Generic = 0x4007,

    /// <summary>Cryptographic message (<c>Cryptographic Message</c>).</summary>
    CryptoMessage = 0x4008,

    /// <summary>Software bill of materials (<c>SBOM</c>).</summary>
    Sbom = 0x4009,

    /// <summary>OCI root index (<c>OCI.RootIndex</c>).</summary>
    OciRootIndex = 0x400A,

    /// <summary>OCI blob (<c>OCI.Blob</c>).</summary>
    OciBlob = 0x400B,
}

/// <summary>File system type of a partition object.</summary>
public enum SifFsType
{
    /// <summary>Squashfs.</summary>
    Squashfs = 1,

    /// <summary>Ext3.</summary>
    Ext3 = 2,

    /// <summary>Immutable archive.</summary>
    ImmutableObject = 3,

    /// <summary>Raw data.</summary>
    Raw = 4,

    /// <summary>Encrypted squashfs.</summary>
    EncryptedSquashfs = 5,

    /// <summary>Gocryptfs squashfs (Apptainer only).</summary>
    GocryptfsSquashfs = 6,
}

/// <summary>Partition type of a partition object.</summary>
public enum SifPartType
{
    /// <summary>A system partition.</summary>
    System = 1,

    /// <summary>The primary system partition.</summary>
    PrimarySystem = 2,

    /// <summary>A data partition.</summary>
    Data = 3,

    /// <summary>An overlay partition.</summary>
    Overlay = 4,
}

/// <summary>Hash type recorded in a signature descriptor (sylabs/sif pkg/sif sif.go).</summary>
public enum SifHashType
{
    /// <summary>SHA-256.</summary>
    Sha256 = 1,

    /// <summary>SHA-384.</summary>
    Sha384 = 2,

    /// <summary>SHA-512.</summary>
    Sha512 = 3,

    /// <summary>BLAKE2s-256.</summary>
    Blake2s256 = 4,

    /// <summary>BLAKE2b-256.</summary>
    Blake2b256 = 5,
}

/// <summary>Format of a cryptographic message object.</summary>
public enum SifFormatType
{
    /// <summary>OpenPGP.</summary>
    OpenPgp = 1,

    /// <summary>PEM.</summary>
    Pem = 2,
}

/// <summary>Message type of a cryptographic message object.</summary>
public enum SifMessageType
{
    /// <summary>Clear signature.</summary>
    ClearSignature = 0x100,

    /// <summary>RSA-OAEP encrypted key.</summary>
    RsaOaep = 0x200,
}

/// <summary>Format of an SBOM object.</summary>
public enum SifSbomFormat
{
    /// <summary>CycloneDX JSON.</summary>
    CycloneDxJson = 1,

    /// <summary>CycloneDX XML.</summary>
    CycloneDxXml = 2,

    /// <summary>GitHub JSON.</summary>
    GitHubJson = 3,

    /// <summary>SPDX JSON.</summary>
    SpdxJson = 4,

    /// <summary>SPDX RDF.</summary>
    SpdxRdf = 5,

    /// <summary>SPDX tag-value.</summary>
    SpdxTagValue = 6,

    /// <summary>SPDX YAML.</summary>
    SpdxYaml = 7,

    /// <summary>Syft JSON.</summary>
    SyftJson = 8,
}
