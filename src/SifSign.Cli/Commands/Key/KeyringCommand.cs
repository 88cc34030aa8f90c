using SifSign.Keys;

namespace SifSign.Cli.Commands.Key;

/// <summary>
/// A key command on the user's keyring or, with <c>-g/--global</c>, on the global public keyring
/// (Apptainer's key import, export, list, pull, push and remove).
/// </summary>
internal abstract class KeyringCommand : Command
{
    private readonly GlobalOptions _global;

    protected KeyringCommand(string name, string description, CliContext context, GlobalOptions global)
        : base(name, description)
    {
        Context = context;
        _global = global;
    }

    public Option<bool> Global { get; } = GlobalOptions.CreateGlobalOption();

    protected CliContext Context { get; }

    /// <summary>The keyring the command works on: the global one when <c>--global</c> is set.</summary>
    protected Keyring OpenKeyring(ParseResult parse) => _global.OpenKeyring(parse, Context, Global);

    /// <summary>Refuses <c>--global</c> beside any of <paramref name="privateOptions"/>: the global keyring holds public keys only.</summary>
    protected void RejectWithGlobal(params Option<bool>[] privateOptions)
    {
        var names = string.Join(" and ", privateOptions.Select(option => option.Name));
        var message = $"--global manages public keys only: {names} {(privateOptions.Length == 1 ? "does" : "do")} not apply";
        Validators.Add(result =>
        {
            if (result.GetValue(Global) && privateOptions.Any(option => result.GetValue(option)))
            {
                result.AddError(message);
            }
        });
    }
}
