namespace SifSign.Cli;

/// <summary>
/// Process exit codes. They mirror Apptainer's so scripts written for it keep working: command-line
/// errors exit 1, the key commands 2 (export 10), everything else that fails (sign, verify,
/// key list/remove, sif) 255.
/// </summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Bad flags, a wrong argument count or an invalid value (System.CommandLine's parse errors).</summary>
    public const int UsageError = 1;

    /// <summary>key newpair/import/pull/push/search failed (Apptainer: 2).</summary>
    public const int KeyCommandFailed = 2;

    /// <summary>key export failed (Apptainer: 10).</summary>
    public const int ExportFailed = 10;

    /// <summary>ecl check: the ECL does not allow the image to run (no Apptainer counterpart: it only refuses to start).</summary>
    public const int Prohibited = 3;

    /// <summary>Interrupted (Ctrl+C).</summary>
    public const int Cancelled = 130;

    /// <summary>sign, verify and the other commands failed (Apptainer's sylog.Fatalf: 255).</summary>
    public const int Failure = 255;
}
