using System.Globalization;
using System.Text;
using Keyserver.Bench;

// keygen N OUT [--seed S]: writes N synthetic keys as one binary keyring OUT, and OUT.txt beside it
// with one line per key: fingerprint, short key ID, e-mail, name, team word (tab-separated).
if (args.Length < 2 || !long.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
{
    Console.Error.WriteLine("usage: keygen N OUT.gpg [--seed S]   (writes OUT.gpg and OUT.gpg.txt)");
    return 2;
}

long seed = 1;
if (args.Length == 4 && args[2] == "--seed" && !long.TryParse(args[3], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out seed))
{
    Console.Error.WriteLine($"keygen: --seed wants an integer, not '{args[3]}'");
    return 2;
}

const int Chunk = 8192;
var output = args[1];
await using var keyring = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
await using var facts = new StreamWriter(output + ".txt", append: false, new UTF8Encoding(false), 1 << 20);
var keys = new SyntheticKeyring.Key[Chunk];
for (long start = 0; start < count; start += Chunk)
{
    var n = (int)Math.Min(Chunk, count - start);
    Parallel.For(0, n, i => keys[i] = SyntheticKeyring.Generate(seed, start + i));
    for (var i = 0; i < n; i++)
    {
        var key = keys[i];
        keyring.Write(key.Packets);
        await facts.WriteLineAsync($"{key.Fingerprint}\t{key.ShortKeyId}\t{key.Email}\t{key.Name}\t{key.Team}");
    }
}

Console.Error.WriteLine($"keygen: {count} keys written to {output}");
return 0;
