using System.Collections.Concurrent;
using Keyserver.Core.Keys;

namespace Keyserver.Storage.LiteDb;

/// <summary>
/// Recently read keys, so that a hot key is answered without touching LiteDB: records by primary
/// fingerprint, bounded by the bytes of their key material, and
/// the result of exact-term queries (fingerprint, key ID, e-mail) as the sorted primary fingerprints
/// that match, bounded in count. LiteDB answers one query at a time per lock and deserialises the
/// whole document each time, which costs far more than serving the key.
/// </summary>
/// <remarks>
/// A write invalidates the written keys and every term their old or new versions carry twice: just
/// before its commit (<see cref="BeginWrite"/>) and after it (<see cref="EndWrite"/>); in between no
/// entry is added at all. Readers take a <see cref="Generation"/> before reading the database and an
/// entry is refused when a write began or ended since, so an answer read before a commit is never
/// cached after it, and no reader sees the new version and then the old one from the cache. The
/// checks and the invalidations run under one lock, which only misses and writes take; hits are
/// lock-free.
/// </remarks>
internal sealed class LookupCache(long capacityBytes)
{
    // Term results are small (a few fingerprints); the count bound keeps a flood of distinct
    // queries for unknown keys from growing the cache without limit.
    private const int MaxTerms = 65_536;

    private readonly ConcurrentDictionary<string, KeyRecord> _records = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string[]> _terms = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _generation;
    private int _writesInProgress;
    private long _recordBytes;
    private int _termCount;

    public bool Enabled => capacityBytes > 0;

    public long Generation => Interlocked.Read(ref _generation);

    public bool TryGetRecord(string fingerprint, out KeyRecord record) => _records.TryGetValue(fingerprint, out record!);

    public bool TryGetTerm(string term, out string[] fingerprints) => _terms.TryGetValue(term, out fingerprints!);

    public void AddRecord(KeyRecord record, long generationBeforeRead)
    {
        var size = SizeOf(record);
        if (size > capacityBytes / 4)
        {
            return;
        }

        lock (_gate)
        {
            if (!MayAdd(generationBeforeRead) || !_records.TryAdd(record.Fingerprint, record))
            {
                return;
            }

            _recordBytes += size;
            if (_recordBytes > capacityBytes)
            {
                EvictRecords(capacityBytes / 4 * 3);
            }
        }
    }

    public void AddTerm(string term, string[] fingerprints, long generationBeforeRead)
    {
        if (!Enabled)
        {
            return;
        }

        lock (_gate)
        {
            if (!MayAdd(generationBeforeRead) || !_terms.TryAdd(term, fingerprints))
            {
                return;
            }

            if (++_termCount > MaxTerms)
            {
                EvictTerms(MaxTerms / 4 * 3);
            }
        }
    }

    public void BeginWrite(IReadOnlyCollection<string> fingerprints, IReadOnlyCollection<string> terms)
    {
        lock (_gate)
        {
            _writesInProgress++;
            Invalidate(fingerprints, terms);
        }
    }

    public void EndWrite(IReadOnlyCollection<string> fingerprints, IReadOnlyCollection<string> terms)
    {
        lock (_gate)
        {
            _writesInProgress--;
            Invalidate(fingerprints, terms);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            Interlocked.Increment(ref _generation);
            _records.Clear();
            _terms.Clear();
            _recordBytes = 0;
            _termCount = 0;
        }
    }

    private void Invalidate(IReadOnlyCollection<string> fingerprints, IReadOnlyCollection<string> terms)
    {
        Interlocked.Increment(ref _generation);
        foreach (var fingerprint in fingerprints)
        {
            if (_records.TryRemove(fingerprint, out var removed))
            {
                _recordBytes -= SizeOf(removed);
            }
        }

        foreach (var term in terms)
        {
            if (_terms.TryRemove(term, out _))
            {
                _termCount--;
            }
        }
    }

    private bool MayAdd(long generationBeforeRead) => _writesInProgress == 0 && _generation == generationBeforeRead;

    // Without access order to go by, evicting arbitrary entries keeps the cache bounded and cheap;
    // entries still hot are read again on their next lookup.
    private void EvictRecords(long targetBytes)
    {
        foreach (var fingerprint in _records.Keys)
        {
            if (_recordBytes <= targetBytes)
            {
                break;
            }

            if (_records.TryRemove(fingerprint, out var removed))
            {
                _recordBytes -= SizeOf(removed);
            }
        }
    }

    private void EvictTerms(int targetCount)
    {
        foreach (var term in _terms.Keys)
        {
            if (_termCount <= targetCount)
            {
                break;
            }

            if (_terms.TryRemove(term, out _))
            {
                _termCount--;
            }
        }
    }

    // The key material dominates a record; a fixed allowance covers the rest. The armor, made when
    // first served, takes at most 4/3 of the published view with line ends, its header and checksum.
    private static long SizeOf(KeyRecord record) =>
        1024L + record.FullKey.Length + (record.Published is { } view ? (view.Length * 5L / 2) + 128 : 0);
}
