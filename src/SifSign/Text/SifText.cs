using System.Globalization;
using System.Text;
using SifSign.Sif;

namespace SifSign.Text;

/// <summary>
/// The text layouts of <c>sif header|list|info|dump</c> (sylabs/sif pkg/siftool), byte for byte as the reference's
/// <c>siftool</c> prints them (Go <c>text/tabwriter</c> columns, Go time and size formats).
/// </summary>
public static class SifText
{
    private const string Rule = "------------------------------------------------------------------------------";

    /// <summary>The <c>sif header</c> text (tabwriter, padding 1; empty fields omitted).</summary>
    public static string Header(SifImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var h = image.Header;
        var rows = new List<(string Label, string Value)>();
        if (h.LaunchScript is { Length: > 0 } script)
        {
            rows.Add(("Launch Script:", script.EndsWith('\n') ? script[..^1] : script));
        }

        rows.Add(("Version:", h.Version));
        if (SifNames.ArchitectureName(h.Arch) is var arch && arch != "unknown")
        {
            rows.Add(("Primary Architecture:", arch));
        }

        if (h.Id != Guid.Empty)
        {
            rows.Add(("ID:", h.Id.ToString()));
        }

        if (h.CreatedAt != SifHeader.UnsetTime)
        {
            rows.Add(("Created At:", GoTime(h.CreatedAt)));
        }

        if (h.ModifiedAt != SifHeader.UnsetTime)
        {
            rows.Add(("Modified At:", GoTime(h.ModifiedAt)));
        }

        rows.Add(("Descriptors Free:", Number(h.DescriptorsFree)));
        rows.Add(("Descriptors Total:", Number(h.DescriptorsTotal)));
        rows.Add(("Descriptors Offset:", Number(h.DescriptorsOffset)));
        rows.Add(("Descriptors Size:", ReadableSize(h.DescriptorsSize)));
        rows.Add(("Data Offset:", Number(h.DataOffset)));
        rows.Add(("Data Size:", ReadableSize(h.DataSize)));
        return Table(rows, indent: "", padding: 1);
    }

    /// <summary>The <c>sif list</c> text: two 78-dash rules around the column titles, one row per used descriptor.</summary>
    public static string List(SifImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var text = new StringBuilder();
        text.Append(Rule).Append('\n')
            .Append(CultureInfo.InvariantCulture, $"{"ID",-4} {"|GROUP",-8} {"|LINK",-8} {"|SIF POSITION (start-end)",-26} |TYPE\n")
            .Append(Rule).Append('\n');
        foreach (var d in image.Descriptors)
        {
            text.Append(CultureInfo.InvariantCulture, $"{d.Id,-4} ");
            text.Append(d.GroupId == 0 ? $"|{"NONE",-7} " : $"|{Number(d.GroupId),-7} ");
            text.Append(d.LinkedId switch
            {
                0 => $"|{"NONE",-7} ",
                var id when d.IsLinkedToGroup => $"|{Number(id),-3} (G) ",
                var id => $"|{Number(id),-7} ",
            });
            var position = FormattableString.Invariant($"|{d.Offset}-{d.Offset + d.Size} ");
            text.Append(CultureInfo.InvariantCulture, $"{position,-26} ");
            text.Append(TypeColumn(d));
        }

        return text.ToString();
    }

    /// <summary>
    /// The <c>sif info</c> text of object <paramref name="id"/> (tabwriter, padding 2, two leading spaces).
    /// Throws <see cref="SifException"/> "object not found", or for a signature with an unsupported hash.
    /// </summary>
    public static string Info(SifImage image, uint id)
    {
        ArgumentNullException.ThrowIfNull(image);
        var d = image.GetDescriptor(id);
        var rows = new List<(string Label, string Value)>
        {
            ("Data Type:", d.DataType.Name()),
            ("ID:", Number(d.Id)),
            ("Group ID:", d.GroupId == 0 ? "NONE" : Number(d.GroupId)),
            ("Linked ID:", d.LinkedId == 0 ? "NONE" : d.IsLinkedToGroup ? Number(d.LinkedId) + " (G)" : Number(d.LinkedId)),
            ("Offset:", Number(d.Offset)),
            ("Size:", Number(d.Size)),
        };
        if (d.CreatedAt != SifHeader.UnsetTime)
        {
            rows.Add(("Created At:", GoTime(d.CreatedAt)));
        }

        if (d.ModifiedAt != SifHeader.UnsetTime)
        {
            rows.Add(("Modified At:", GoTime(d.ModifiedAt)));
        }

        if (d.Name.Length > 0)
        {
            rows.Add(("Name:", d.Name));
        }

        switch (d.DataType)
        {
            case SifDataType.Partition:
                var (fs, part, arch) = d.GetPartitionMetadata();
                rows.Add(("Filesystem Type:", fs.Name()));
                rows.Add(("Partition Type:", part.Name()));
                rows.Add(("Architecture:", SifNames.ArchitectureName(arch)));
                break;
            case SifDataType.Signature:
                var (hash, fingerprint) = d.GetSignatureMetadata();
                rows.Add(("Hash Type:", hash.Name()));
                if (fingerprint is not null)
                {
                    rows.Add(("Entity:", Convert.ToHexString(fingerprint)));
                }

                break;
            case SifDataType.CryptoMessage:
                var (format, message) = d.GetCryptoMessageMetadata();
                rows.Add(("Format Type:", format.Name()));
                rows.Add(("Message Type:", message.Name()));
                break;
            case SifDataType.Sbom:
                rows.Add(("Format:", d.GetSbomMetadata().Name()));
                break;
            case SifDataType.OciRootIndex or SifDataType.OciBlob:
                rows.Add(("Digest:", d.GetOciDigest()));
                break;
        }

        return Table(rows, indent: "  ", padding: 2);
    }

    /// <summary>Copies the raw bytes of object <paramref name="id"/> to <paramref name="output"/> (<c>sif dump</c>).</summary>
    public static void Dump(SifImage image, uint id, Stream output)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(output);
        using var data = image.OpenObject(image.GetDescriptor(id));
        data.CopyTo(output, SifImage.BufferSize);
    }

    /// <summary>A size as Go's <c>readableSize</c> prints it: <c>%d B</c> below 1 KiB, else rounded KiB, MiB, ….</summary>
    public static string ReadableSize(long size)
    {
        if (size is > -1024 and < 1024)
        {
            return Number(size) + " B";
        }

        const string units = "KMGTPE";
        ulong divisor = 1024;
        var exponent = 0;
        for (var n = size / 1024; n <= -1024 || n >= 1024; n /= 1024)
        {
            divisor *= 1024;
            exponent++;
        }

        var value = Math.Round(size / (double)divisor, MidpointRounding.AwayFromZero);
        return value.ToString("F0", CultureInfo.InvariantCulture) + " " + units[exponent] + "iB";
    }

    /// <summary>Unix seconds as Go prints a UTC <c>time.Time</c>: <c>2020-06-30 00:01:56 +0000 UTC</c>.</summary>
    public static string GoTime(long unixSeconds)
    {
        if (unixSeconds < DateTimeOffset.MinValue.ToUnixTimeSeconds() || unixSeconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            // Outside .NET's calendar range (only hostile files get here): show the raw value.
            return Number(unixSeconds) + " (Unix seconds)";
        }

        return DateTimeOffset.FromUnixTimeSeconds(unixSeconds).ToString("yyyy-MM-dd HH:mm:ss '+0000 UTC'", CultureInfo.InvariantCulture);
    }

    private static string TypeColumn(SifDescriptor d)
    {
        var name = d.DataType.Name();
        switch (d.DataType)
        {
            case SifDataType.Partition:
                var (fs, part, arch) = d.GetPartitionMetadata();
                return $"|{name} ({fs.Name()}/{part.Name()}/{SifNames.ArchitectureName(arch)})\n";
            case SifDataType.Signature:
                try
                {
                    return $"|{name} ({d.GetSignatureMetadata().HashType.Name()})\n";
                }
                catch (SifException)
                {
                    // The reference prints nothing, not even the newline, for an unsupported hash type.
                    return "";
                }

            case SifDataType.CryptoMessage:
                var (format, message) = d.GetCryptoMessageMetadata();
                return $"|{name} ({format.Name()}/{message.Name()})\n";
            case SifDataType.Sbom:
                return $"|{name} ({d.GetSbomMetadata().Name()})\n";
            default:
                return $"|{name}\n";
        }
    }

    private static string Table(List<(string Label, string Value)> rows, string indent, int padding)
    {
        var width = rows.Max(r => r.Label.Length) + padding;
        var text = new StringBuilder();
        foreach (var (label, value) in rows)
        {
            text.Append(indent).Append(label.PadRight(width)).Append(value).Append('\n');
        }

        return text.ToString();
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
