namespace TestKit.OpenPgp;

/// <summary>
/// v6 (RFC 9580) certificates made outside this code base, with their facts. The RFC's own sample
/// has no user ID; OpenPGP.js's key has one, so it can be published and looked up.
/// </summary>
public static class V6Certificates
{
    /// <summary>RFC 9580 Appendix A.3, "Sample Version 6 Certificate (Transferable Public Key)": an
    /// Ed25519 primary key with a direct-key signature (SHA-512) and an X25519 subkey, no user ID.</summary>
    public const string Rfc9580Sample = """
        -----BEGIN PGP PUBLIC KEY BLOCK-----

        xioGY4d/4xsAAAAg+U2nu0jWCmHlZ3BqZYfQMxmZu52JGggkLq2EVD34laPCsQYf
        GwoAAABCBYJjh3/jAwsJBwUVCg4IDAIWAAKbAwIeCSIhBssYbE8GCaaX5NUt+mxy
        KwwfHifBilZwj2Ul7Ce62azJBScJAgcCAAAAAK0oIBA+LX0ifsDm185Ecds2v8lw
        gyU2kCcUmKfvBXbAf6rhRYWzuQOwEn7E/aLwIwRaLsdry0+VcallHhSu4RN6HWaE
        QsiPlR4zxP/TP7mhfVEe7XWPxtnMUMtf15OyA51YBM4qBmOHf+MZAAAAIIaTJINn
        +eUBXbki+PSAld2nhJh/LVmFsS+60WyvXkQ1wpsGGBsKAAAALAWCY4d/4wKbDCIh
        BssYbE8GCaaX5NUt+mxyKwwfHifBilZwj2Ul7Ce62azJAAAAAAQBIKbpGG2dWTX8
        j+VjFM21J0hqWlEg+bdiojWnKfA5AQpWUWtnNwDEM0g12vYxoWM8Y81W+bHBw805
        I8kWVkXU6vFOi+HWvv/ira7ofJu16NnoUkhclkUrk0mXubZvyl4GBg==
        -----END PGP PUBLIC KEY BLOCK-----

        """;

    /// <summary>Primary fingerprint of <see cref="Rfc9580Sample"/> (RFC 9580 Appendix A.3).</summary>
    public const string Rfc9580SampleFingerprint = "CB186C4F0609A697E4D52DFA6C722B0C1F1E27C18A56708F6525EC27BAD9ACC9";

    /// <summary>Subkey fingerprint of <see cref="Rfc9580Sample"/>.</summary>
    public const string Rfc9580SampleSubkey = "12C83F1E706F6308FE151A417743A1F033790E93E9978488D1DB378DA9930885";

    /// <summary>
    /// A v6 Ed25519 key with user ID <c>Vera Six &lt;vera.six@example.org&gt;</c> and an X25519
    /// subkey, made by OpenPGP.js 6.3.2 with <c>v6Keys: true</c> (generate-v6.mjs beside this file)
    /// on 2026-12-06, created 2026-12-01.
    /// </summary>
    public const string OpenPgpJsVera = """
        -----BEGIN PGP PUBLIC KEY BLOCK-----
        
        xioGaw4OABsAAAAgA4hcxrL0FS2GUdDE6uB7WcEmQgj4CH4neZMCwkp0hj/C
        rQYfGwoAAAA+BYJrDg4AAwsJBwUVCggODAQWAAIBApsDAh4BIqEG58zAMvIy
        93JNHZC9WyJlH/bGen1haJfbSo7XGsHldwwAAAAARVEgAZpb7PTVg405xFAO
        NVCOHOvByeb6xCxXddXJFlZq1nX9Wm2H+Uqu/vVmagriEnfgpJUaj12uj6VW
        5OmuW0OPtnj7ucS0ouwN9nQ1/rkW892ELlKpb1K4F4Lq96MtLBAFzR9WZXJh
        IFNpeCA8dmVyYS5zaXhAZXhhbXBsZS5vcmc+wpsGExsKAAAALAWCaw4OAAIZ
        ASKhBufMwDLyMvdyTR2QvVsiZR/2xnp9YWiX20qO1xrB5XcMAAAAALDAIDdZ
        148a8eqL+RFpt2p8jEbiYkuXqojuBWED03D5NJkCDnm7MdrYiNmiTH9/4j26
        ilRmtom85ftJpsKlS0f/g064Ao8e7tBjsb3N+95CuRQcmrP9S3A0n4WqleGE
        dsgfDc4qBmsODgAZAAAAIF2nlrpFqMIJsQxBJ0kAiAXVNRt5pixC8c59mzrl
        r+1IwpsGGBsKAAAALAWCaw4OAAKbDCKhBufMwDLyMvdyTR2QvVsiZR/2xnp9
        YWiX20qO1xrB5XcMAAAAAK92IGYiFlam5WheBdKQ8MSNMZss3a7IC/PZdNoo
        MHybYzLdjbb5gS2rJ2sh4GlyT2BIyuMlTc0WwXQvqfispDQ7nHkmdttRiInj
        CgEJiTcJjl2/DV3zxtt+C9yxrZ4uHBuTCQ==
        -----END PGP PUBLIC KEY BLOCK-----

        """;

    /// <summary>Primary fingerprint of <see cref="OpenPgpJsVera"/> as OpenPGP.js printed it.</summary>
    public const string OpenPgpJsVeraFingerprint = "E7CCC032F232F7724D1D90BD5B22651FF6C67A7D616897DB4A8ED71AC1E5770C";

    /// <summary>Subkey fingerprint of <see cref="OpenPgpJsVera"/> as OpenPGP.js printed it.</summary>
    public const string OpenPgpJsVeraSubkey = "526E26ECEBAB2C24398612C6D82E92CC9BA09EA025851FBC350EB46516EC20B1";

    /// <summary>The address on <see cref="OpenPgpJsVera"/>.</summary>
    public const string OpenPgpJsVeraEmail = "vera.six@example.org";
}
