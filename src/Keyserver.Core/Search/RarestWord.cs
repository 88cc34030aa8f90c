using Keyserver.Core.Storage;

namespace Keyserver.Core.Search;

/// <summary>
/// Which word of a multi-word search drives the scan, the same for every store: the one with the
/// fewest index entries, so that a common word ("org") never reads the whole index when a rare one
/// is beside it. Words are probed longest first (the likeliest to be rare), each counted only up to
/// the fewest found so far (and never past <see cref="KeyPage.MaxMatches"/>), and a word with few
/// entries ends the probing.
/// </summary>
public static class RarestWord
{
    // A word with at most this many entries is rare enough to drive a search without probing others.
    private const int RareEnough = 64;

    /// <summary>The driving word of <paramref name="words"/> (not empty).</summary>
    /// <param name="words">The search's index keys.</param>
    /// <param name="countUpTo">A word's index entries, counted up to the bound it is given.</param>
    public static async Task<string> FindAsync(IReadOnlyList<string> words, Func<string, int, Task<int>> countUpTo)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(countUpTo);
        ArgumentOutOfRangeException.ThrowIfZero(words.Count);
        if (words.Count == 1)
        {
            return words[0];
        }

        var best = words[0];
        var fewest = int.MaxValue;
        foreach (var word in words.OrderByDescending(w => w.Length))
        {
            var count = await countUpTo(word, Math.Min(fewest, KeyPage.MaxMatches + 1)).ConfigureAwait(false);
            if (count < fewest)
            {
                (best, fewest) = (word, count);
            }

            if (fewest <= RareEnough)
            {
                break;
            }
        }

        return best;
    }
}
