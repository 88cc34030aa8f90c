namespace Keyserver.Core.Admin;

/// <summary>One block: what it names, when and by whom it was set, and why.</summary>
/// <param name="Target">The normalised target.</param>
/// <param name="Created">When it was set.</param>
/// <param name="Actor">Who set it (an admin's address, <c>cli</c>).</param>
/// <param name="Reason">The operator's note, or null.</param>
public sealed record BlockEntry(BlockTarget Target, DateTimeOffset Created, string Actor, string? Reason = null);

/// <summary>
/// The operator's block list. Targets arrive normalised (<see cref="BlockTarget"/>), so an
/// implementation compares their values as plain strings. Every write is durable before the
/// returned task completes.
/// </summary>
public interface IBlockList
{
    /// <summary>Adds a block. False when the target was already blocked (the first entry is kept).</summary>
    Task<bool> AddAsync(BlockEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Removes the block on <paramref name="target"/>. False when there was none.</summary>
    Task<bool> RemoveAsync(BlockTarget target, CancellationToken cancellationToken = default);

    /// <summary>The block on exactly <paramref name="target"/>, or null.</summary>
    Task<BlockEntry?> GetAsync(BlockTarget target, CancellationToken cancellationToken = default);

    /// <summary>Every block, ordered by kind (fingerprints, addresses, domains) and then by value.</summary>
    Task<IReadOnlyList<BlockEntry>> ListAsync(CancellationToken cancellationToken = default);
}

/// <summary>The checks every caller of <see cref="IBlockList"/> shares.</summary>
public static class BlockListChecks
{
    /// <summary>The block on a primary fingerprint (any case), or null.</summary>
    public static Task<BlockEntry?> FindFingerprintBlockAsync(this IBlockList blocks, string fingerprint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        return BlockTarget.Fingerprint(fingerprint) is { } target
            ? blocks.GetAsync(target, cancellationToken)
            : Task.FromResult<BlockEntry?>(null);
    }

    /// <summary>
    /// The block that covers an address: on the address itself, or on its domain or any parent
    /// domain (a block on example.org covers a@mail.example.org). Null when none does.
    /// </summary>
    public static async Task<BlockEntry?> FindAddressBlockAsync(this IBlockList blocks, string address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentNullException.ThrowIfNull(address);
        if (BlockTarget.Address(address) is { } exact && await blocks.GetAsync(exact, cancellationToken).ConfigureAwait(false) is { } hit)
        {
            return hit;
        }

        foreach (var domain in BlockTarget.DomainsOf(address))
        {
            if (await blocks.GetAsync(BlockTarget.Domain(domain)!, cancellationToken).ConfigureAwait(false) is { } covering)
            {
                return covering;
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="address"/> is covered by a domain block's domain, or equals an address block.</summary>
    public static bool Covers(this BlockTarget target, string address)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(address);
        return target.Kind switch
        {
            BlockKind.Address => string.Equals(BlockTarget.Address(address)?.Value, target.Value, StringComparison.Ordinal),
            BlockKind.Domain => BlockTarget.DomainsOf(address).Contains(target.Value, StringComparer.Ordinal),
            _ => false,
        };
    }
}
