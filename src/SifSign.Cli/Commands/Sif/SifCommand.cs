using System.Globalization;
using SifSign.Sif;
using SifSign.Text;

namespace SifSign.Cli.Commands.Sif;

/// <summary>
/// <c>sifsign sif …</c>: Apptainer's <c>sif</c> (siftool) subcommands with its layouts (sylabs/sif pkg/siftool).
/// Errors are reported as Apptainer does for them: <c>Error for command "&lt;sub&gt;": …</c>, exit 1.
/// </summary>
internal sealed class SifCommand : Command
{
    public SifCommand(CliContext context)
        : base("sif", "Inspect and change SIF images (Apptainer's 'sif' / siftool commands)")
    {
        Aliases.Add("siftool");
        Subcommands.Add(new SifReadCommand(context, "header", "Display the global header", (image, _, ctx) => ctx.Out.Write(SifText.Header(image)), withId: false));
        Subcommands.Add(new SifReadCommand(context, "list", "List data objects", (image, _, ctx) => ctx.Out.Write(SifText.List(image)), withId: false));
        Subcommands.Add(new SifReadCommand(context, "info", "Display data object info", (image, id, ctx) => ctx.Out.Write(SifText.Info(image, id)), withId: true));
        Subcommands.Add(new SifReadCommand(context, "dump", "Write the raw bytes of a data object to stdout", Dump, withId: true));
        Subcommands.Add(new SifNewCommand(context));
        Subcommands.Add(new SifAddCommand(context));
        Subcommands.Add(new SifModifyCommand(context, "del", "Delete a data object (no zeroing, no compaction)", (image, id, ctx) => image.DeleteObject(id, time: ctx.Time)));
        Subcommands.Add(new SifModifyCommand(context, "setprim", "Mark a system partition as the primary partition", (image, id, ctx) => image.SetPrimaryPartition(id, ctx.Time)));
    }

    internal static int Run(CliContext context, string command, Action body) =>
        CommandRunner.Run(
            context,
            ExitCodes.UsageError,
            () =>
            {
                body();
                return ExitCodes.Success;
            },
            message => context.Error.WriteLine($"Error for command \"{command}\": {message}"));

    private static void Dump(SifImage image, uint id, CliContext context)
    {
        using var stdout = context.OpenStandardOutput();
        SifText.Dump(image, id, stdout);
        stdout.Flush();
    }
}

internal sealed class SifReadCommand : Command
{
    public SifReadCommand(CliContext context, string name, string description, Action<SifImage, uint, CliContext> show, bool withId)
        : base(name, description)
    {
        if (withId)
        {
            Arguments.Add(Id);
        }

        Arguments.Add(Image);
        SetAction(parse => SifCommand.Run(context, name, () =>
        {
            using var image = SifImage.Open(parse.GetValue(Image)!);
            show(image, withId ? parse.GetValue(Id) : 0, context);
        }));
    }

    public Argument<uint> Id { get; } = new("ID") { Description = "Object ID" };

    public Argument<string> Image { get; } = new("IMAGE") { Description = "SIF image" };
}

internal sealed class SifModifyCommand : Command
{
    public SifModifyCommand(CliContext context, string name, string description, Action<SifImage, uint, CliContext> change)
        : base(name, description)
    {
        Arguments.Add(Id);
        Arguments.Add(Image);
        SetAction(parse => SifCommand.Run(context, name, () =>
        {
            using var image = SifImage.Open(parse.GetValue(Image)!, writable: true);
            change(image, parse.GetValue(Id), context);
        }));
    }

    public Argument<uint> Id { get; } = new("ID") { Description = "Object ID" };

    public Argument<string> Image { get; } = new("IMAGE") { Description = "SIF image (changed in place)" };
}

internal sealed class SifNewCommand : Command
{
    public SifNewCommand(CliContext context)
        : base("new", "Create an empty SIF image (random ID, current time, 48 descriptors)")
    {
        Options.Add(Force);
        Arguments.Add(Image);
        SetAction(parse => SifCommand.Run(context, "new", () =>
        {
            var path = parse.GetValue(Image)!;
            if (!parse.GetValue(Force) && (File.Exists(path) || Directory.Exists(path)))
            {
                throw new CliException($"{path} already exists (use --force to replace it)");
            }

            SifImage.Create(path, new SifCreateOptions { Time = context.Time }, []);
        }));
    }

    public Option<bool> Force { get; } = new("--force", "-f") { Description = "Replace IMAGE if it exists" };

    public Argument<string> Image { get; } = new("IMAGE") { Description = "Path of the new image" };
}

internal sealed class SifAddCommand : Command
{
    private static readonly string[] SbomFormats =
        ["cyclonedx-json", "cyclonedx-xml", "github-json", "spdx-json", "spdx-rdf", "spdx-tag-value", "spdx-yaml", "syft-json"];

    public SifAddCommand(CliContext context)
        : base("add", "Add a data object to a SIF image")
    {
        foreach (var option in new Option[] { DataType, PartType, PartFs, PartArch, SignHash, SignEntity, SbomFormat, GroupId, Link, Alignment, FileName })
        {
            Options.Add(option);
        }

        Arguments.Add(Image);
        Arguments.Add(Object);
        SetAction(parse => SifCommand.Run(context, "add", () =>
        {
            var input = BuildInput(parse, out var data);
            using (data)
            {
                using var image = SifImage.Open(parse.GetValue(Image)!, writable: true);
                image.AddObject(input, context.Time);
            }
        }));
    }

    public Option<int> DataType { get; } = new("--datatype") { Description = "Object type: 1 Def.FILE, 2 Env.Vars, 3 JSON.Labels, 4 FS, 5 Signature, 6 JSON.Generic, 7 Generic/Raw, 8 Cryptographic Message, 9 SBOM, 10 OCI.RootIndex, 11 OCI.Blob" };

    public Option<int> PartType { get; } = new("--parttype") { Description = "Partition type (with --datatype 4): 1 System, 2 PrimSys, 3 Data, 4 Overlay" };

    public Option<int> PartFs { get; } = new("--partfs") { Description = "File system (with --datatype 4): 1 Squashfs, 2 Ext3, 3 ImmuObj, 4 Raw, 5 Encrypted squashfs, 6 Gocryptfs squashfs" };

    public Option<int> PartArch { get; } = new("--partarch") { Description = "Architecture (with --datatype 4): 1 386, 2 amd64, 3 arm, 4 arm64, 5 ppc64, 6 ppc64le, 7 mips, 8 mipsle, 9 mips64, 10 mips64le, 11 s390x, 12 riscv64, 13 loong64" };

    public Option<int> SignHash { get; } = new("--signhash") { Description = "Signature hash (with --datatype 5): 1 SHA256, 2 SHA384, 3 SHA512, 4 BLAKE2s_256, 5 BLAKE2b_256" };

    public Option<string?> SignEntity { get; } = new("--signentity") { Description = "Signer fingerprint, 40 hex digits (with --datatype 5)" };

    public Option<string?> SbomFormat { get; } = new("--sbomformat") { Description = "SBOM format (with --datatype 9): " + string.Join(", ", SbomFormats) };

    public Option<uint> GroupId { get; } = new("--groupid") { Description = "Object group (0: no group)" };

    public Option<uint?> Link { get; } = new("--link") { Description = "ID of the object this one links to" };

    public Option<long?> Alignment { get; } = new("--alignment") { Description = "Data alignment (default 4096 for partitions, none otherwise)" };

    public Option<string?> FileName { get; } = new("--filename") { Description = "Object name" };

    public Argument<string> Image { get; } = new("IMAGE") { Description = "SIF image (changed in place)" };

    public Argument<string> Object { get; } = new("FILE") { Description = "File holding the object data" };

    private SifObjectInput BuildInput(ParseResult parse, out Stream data)
    {
        var typeNumber = parse.GetValue(DataType);
        if (typeNumber is < 1 or > 11)
        {
            throw new CliException("--datatype flag is required with a valid range (1-11)");
        }

        var type = (SifDataType)(0x4000 + typeNumber);
        byte[] extra = [];
        switch (type)
        {
            case SifDataType.Partition:
                int fs = parse.GetValue(PartFs), part = parse.GetValue(PartType), arch = parse.GetValue(PartArch);
                if (fs is < 1 or > 6 || part is < 1 or > 4 || arch is < 1 or > 13)
                {
                    throw new CliException("with partition datatype, --partfs (1-6), --parttype (1-4) and --partarch (1-13) must be passed");
                }

                extra = SifObjectInput.PartitionExtra((SifFsType)fs, (SifPartType)part, SifNames.ArchitectureName(arch.ToString("D2", CultureInfo.InvariantCulture)));
                break;
            case SifDataType.Signature:
                var hash = parse.GetValue(SignHash);
                var entity = parse.GetValue(SignEntity) ?? string.Empty;
                if (hash is < 1 or > 5)
                {
                    throw new CliException($"invalid hash type: {hash}");
                }

                if (entity.Length != 40 || !entity.All(Uri.IsHexDigit))
                {
                    throw new CliException("--signentity must be a 40 hex digit fingerprint");
                }

                extra = SifObjectInput.SignatureExtra((SifHashType)hash, Convert.FromHexString(entity));
                break;
            case SifDataType.Sbom:
                var format = Array.IndexOf(SbomFormats, parse.GetValue(SbomFormat) == "github" ? "github-json" : parse.GetValue(SbomFormat));
                if (format < 0)
                {
                    throw new CliException("with SBOM datatype, --sbomformat must be one of " + string.Join(", ", SbomFormats));
                }

                extra = SifObjectInput.SbomExtra((SifSbomFormat)(format + 1));
                break;
        }

        var path = parse.GetValue(Object)!;
        data = File.OpenRead(path);
        var link = parse.GetValue(Link);
        return new SifObjectInput
        {
            DataType = type,
            Data = data,
            Name = parse.GetValue(FileName) ?? string.Empty,
            GroupId = parse.GetValue(GroupId),
            LinkedId = link ?? 0,
            Alignment = parse.GetValue(Alignment),
            Extra = extra,
        };
    }
}
