using System.Runtime.CompilerServices;
using Keyserver.Core.Keys;
using Keyserver.Core.Search;
using Keyserver.Core.Storage;
using LiteDB;

namespace Keyserver.Storage.LiteDb;

/// <summary>
/// <see cref="IKeyStore"/> on an embedded LiteDB file. Each key is a small lookup document
/// (metadata, identities, multi-key indexes on fingerprints, key IDs, e-mail addresses, words and
/// user IDs), its published view with armor, and its full key, stored apart so that a query scans
/// only small documents; only the keys of the page returned are read whole. Recently read keys are
/// kept in a bounded cache invalidated by every write of the key, so a hot lookup or
/// <see cref="GetAsync"/> does not touch LiteDB at all.
/// </summary>
public sealed class LiteDbKeyStore : IKeyStore, IStoreCounters, IDisposable
{
    /// <summary>Default bound of the lookup cache, in bytes of published key material.</summary>
    public const long DefaultLookupCacheBytes = 64L * 1024 * 1024;

    /// <summary>The collection of the kept counts; dropping it makes the next open count the keys again.</summary>
    public const string CountersCollection = CounterDocument.Collection;

    /// <summary>Lookups (records and exact terms) answered from the lookup cache, and those that read LiteDB; for metrics.</summary>
    public (long Hits, long Misses) LookupCacheCounts => (Interlocked.Read(ref _cacheHits), Interlocked.Read(ref _cacheMisses));

    private const int ScanBatchSize = 64;

    // Longer than any fingerprint (64 hex digits for v6): such a query cannot match.
    private const int MaxHexQueryLength = 64;

    // LiteDB stores a document of at most 16,683,050 bytes; this leaves room for the other fields.
    private const int MaxBinaryBytes = 16_000_000;

    private const string ScanAfter = "_id > @0";

    private readonly LiteDbContext _context;
    private readonly bool _ownsContext;
    private readonly LookupCache _cache;
    private readonly Lock _countersLock = new();
    private long _cacheHits;
    private long _cacheMisses;

    // The counts as committed, or null to read them again from the file (after a write whose
    // outcome is unknown: it may have committed before the disk refused the flush).
    private StoreCounters? _counters;

    /// <summary>Creates the store in <paramref name="context"/>'s file; the caller keeps owning the context.</summary>
    public LiteDbKeyStore(LiteDbContext context)
        : this(context, ownsContext: false, DefaultLookupCacheBytes)
    {
    }

    /// <summary>Creates the store with a lookup cache of at most <paramref name="lookupCacheBytes"/> (0 disables it).</summary>
    public LiteDbKeyStore(LiteDbContext context, long lookupCacheBytes)
        : this(context, ownsContext: false, lookupCacheBytes)
    {
    }

    /// <summary>Opens (or creates) the database file at <paramref name="databasePath"/>; disposing the store closes it.</summary>
    public LiteDbKeyStore(string databasePath)
        : this(new LiteDbContext(databasePath), ownsContext: true, DefaultLookupCacheBytes)
    {
    }

    private LiteDbKeyStore(LiteDbContext context, bool ownsContext, long lookupCacheBytes)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfNegative(lookupCacheBytes);
        _context = context;
        _ownsContext = ownsContext;
        _cache = new LookupCache(lookupCacheBytes);
        try
        {
            context.AttachKeyStore();
        }
        catch
        {
            CloseOwnedContext();
            throw;
        }

        try
        {
            EnsureIndexes();
        }
        catch
        {
            context.DetachKeyStore();
            CloseOwnedContext();
            throw;
        }
    }

    // The collections of the engine open now: the context reopens it after a failure. Used only
    // inside LiteDbContext.Read or WriteAsync, which hold the engine gate.
    private ILiteCollection<BsonDocument> Lookups => _context.Database.GetCollection(KeyDocuments.LookupCollection);

    private ILiteCollection<BsonDocument> PublishedDocuments => _context.Database.GetCollection(KeyDocuments.PublishedCollection);

    private ILiteCollection<BsonDocument> FullKeys => _context.Database.GetCollection(KeyDocuments.FullKeyCollection);

    /// <inheritdoc />
    public Task<KeyRecord?> GetAsync(string fingerprint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(ReadCached(fingerprint));
    }

    /// <inheritdoc />
    public Task<KeyPage> FindAsync(KeyQuery query, int offset, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        cancellationToken.ThrowIfCancellationRequested();

        var (matches, capped) = FindPublishedFingerprints(query);
        var page = new List<KeyRecord>(Math.Min(limit, matches.Length));
        foreach (var fingerprint in matches.Skip(offset).Take(limit))
        {
            // A record deleted or unpublished between the two reads is left out of the page.
            if (ReadCached(fingerprint) is { IsPublished: true } record)
            {
                page.Add(record);
            }
        }

        return Task.FromResult(new KeyPage(page, matches.Length) { TotalIsLowerBound = capped });
    }

    /// <inheritdoc />
    public async Task<WriteOutcome> UpdateAsync(
        string fingerprint, Func<KeyRecord?, KeyRecord?> change, CancellationToken cancellationToken = default)
    {
        var outcomes = await UpdateManyAsync([new KeyChange(fingerprint, change)], cancellationToken).ConfigureAwait(false);
        return outcomes[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WriteOutcome>> UpdateManyAsync(
        IReadOnlyList<KeyChange> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        foreach (var change in changes)
        {
            ArgumentNullException.ThrowIfNull(change);
            ArgumentException.ThrowIfNullOrEmpty(change.Fingerprint);
            ArgumentNullException.ThrowIfNull(change.Change);
        }

        if (changes.Count == 0)
        {
            return [];
        }

        var touched = new HashSet<string>(StringComparer.Ordinal);
        var touchedTerms = new HashSet<string>(StringComparer.Ordinal);
        var writing = false;
        var delta = StoreCounters.Empty;
        try
        {
            var written = await _context.WriteAsync(
                db =>
                {
                    var outcomes = ApplyChanges(changes, touched, touchedTerms, out delta);
                    if (delta != StoreCounters.Empty)
                    {
                        // In the same transaction as the keys: the file's counts never disagree with them.
                        CounterDocument.Write(db, (CounterDocument.Read(db) ?? StoreCounters.Empty).Plus(delta));
                    }

                    _cache.BeginWrite(touched, touchedTerms);
                    writing = true;
                    return outcomes;
                },
                cancellationToken).ConfigureAwait(false);
            lock (_countersLock)
            {
                _counters = _counters?.Plus(delta);
            }

            return written;
        }
        catch (StoreUnavailableException)
        {
            lock (_countersLock)
            {
                _counters = null;
            }

            throw;
        }
        finally
        {
            // Also after a failed commit: the cache must never outlive what the file holds.
            if (writing)
            {
                _cache.EndWrite(touched, touchedTerms);
            }
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<KeyRecord> ScanAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Batches by key range instead of one open cursor: a LiteDB read transaction belongs to a
        // thread, and the consumer may resume this iterator on another one.
        var after = BsonValue.MinValue;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var from = after;
            var batch = _context.Read(_ => Lookups.Query()
                .Where(BsonExpression.Create(ScanAfter, from))
                .OrderBy("_id")
                .Limit(ScanBatchSize)
                .ToList());
            foreach (var doc in batch)
            {
                var fingerprint = doc["_id"].AsString;
                var (status, read) = _context.Read(_ => TryReadRest(doc));
                if (status == ReadStatus.Torn)
                {
                    // Written since the batch was read: take the current version, if it still exists.
                    read = ReadConsistent(fingerprint);
                }

                if (read is not null)
                {
                    yield return read;
                }
            }

            if (batch.Count < ScanBatchSize)
            {
                yield break;
            }

            after = batch[^1]["_id"];
            await Task.Yield();
        }
    }

    /// <inheritdoc />
    public Task<StoreStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Counters.ToStatistics());
    }

    /// <inheritdoc />
    public StoreCounters Counters
    {
        get
        {
            lock (_countersLock)
            {
                return _counters ??= _context.Read(db => CounterDocument.Read(db)) ?? StoreCounters.Empty;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _cache.Clear();
        _context.DetachKeyStore();
        CloseOwnedContext();
    }

    private void CloseOwnedContext()
    {
        if (_ownsContext)
        {
            _context.Dispose();
        }
    }

    // The published flag is not indexed: it has two values, so only statistics would use it, and
    // counting the small lookup documents is cheap while each index slows every write. Nor are
    // fingerprints and long key IDs: both end in (v4) or contain (v6) the short key ID, whose index
    // finds them with a check of the few candidates, so each key adds 4 index entries fewer. The
    // store is built once at start-up, so waiting for the writer here blocks nothing else.
    private void EnsureIndexes() =>
        _context.WriteAsync(db =>
        {
            var lookups = db.GetCollection(KeyDocuments.LookupCollection);
            string[] indexes = [KeyDocuments.ShortKeyIds, KeyDocuments.EmailKeys, KeyDocuments.WordKeys, KeyDocuments.UserIdKeys];
            foreach (var index in indexes)
            {
                lookups.EnsureIndex(index, $"$.{index}[*]");
            }

            // Files written before kept them: every write would still pay for them.
            foreach (var unused in new[] { KeyDocuments.Fingerprints, KeyDocuments.KeyIds })
            {
                lookups.DropIndex(unused);
            }

            // A file written before the store kept its counts: count once, keep them from now on.
            if (CounterDocument.Read(db) is null)
            {
                CounterDocument.Write(db, CounterDocument.Count(lookups));
            }

            return indexes.Length;
        }).GetAwaiter().GetResult();

    /// <summary>The record of a primary fingerprint, from the cache when it can be.</summary>
    private KeyRecord? ReadCached(string fingerprint)
    {
        if (_cache.TryGetRecord(fingerprint, out var cached))
        {
            Interlocked.Increment(ref _cacheHits);
            return cached;
        }

        Interlocked.Increment(ref _cacheMisses);
        var generation = _cache.Generation;
        var read = ReadConsistent(fingerprint);
        if (read is not null)
        {
            _cache.AddRecord(read, generation);
        }

        return read;
    }

    /// <summary>
    /// Reads the documents of one key as one written version: the writer holds the engine gate from
    /// its first change to its commit, so a read under the gate cannot see half of a write.
    /// </summary>
    private KeyRecord? ReadConsistent(string fingerprint) => _context.Read(_ => ReadLocked(fingerprint));

    // Under the engine gate nothing can tear a read; a torn set there is a damaged file.
    private KeyRecord? ReadLocked(string fingerprint)
    {
        var (status, read) = TryRead(fingerprint);
        return status == ReadStatus.Torn
            ? throw new InvalidDataException($"The stored documents of key {fingerprint} in '{_context.DatabasePath}' do not belong together.")
            : read;
    }

    private (ReadStatus Status, KeyRecord? Read) TryRead(string fingerprint) =>
        Lookups.FindById(fingerprint) is { } lookup
            ? TryReadRest(lookup)
            : (ReadStatus.NotFound, null);

    private (ReadStatus Status, KeyRecord? Read) TryReadRest(BsonDocument lookup)
    {
        var fingerprint = lookup["_id"].AsString;
        var stamp = KeyDocuments.StampOf(lookup);
        BsonDocument? published = null;
        if (lookup[KeyDocuments.Published].AsBoolean)
        {
            published = PublishedDocuments.FindById(fingerprint);
            if (published is null || KeyDocuments.StampOf(published) != stamp)
            {
                return (ReadStatus.Torn, null);
            }
        }

        var fullKey = FullKeys.FindById(fingerprint);
        if (fullKey is null || KeyDocuments.StampOf(fullKey) != stamp)
        {
            return (ReadStatus.Torn, null);
        }

        return (ReadStatus.Found, KeyDocuments.FromDocuments(lookup, published, fullKey));
    }

    /// <summary>
    /// Sorted primary fingerprints of the published keys matching <paramref name="query"/>, and
    /// whether the index held more entries than <see cref="KeyPage.MaxMatches"/> (then only that many were read).
    /// </summary>
    private (string[] Matches, bool Capped) FindPublishedFingerprints(KeyQuery query) => query switch
    {
        KeyQuery.ByFingerprint q => (FindByTerm(KeyDocuments.Fingerprints, HexKey(q.Fingerprint), ShortKeyIdOfFingerprint), false),
        KeyQuery.ByKeyId q => (FindByTerm(KeyDocuments.KeyIds, HexKey(q.KeyId), keyId => keyId.Length == 16 ? keyId[8..] : null), false),
        KeyQuery.ByShortKeyId q => (FindByTerm(KeyDocuments.ShortKeyIds, HexKey(q.ShortKeyId)), false),
        KeyQuery.ByEmail q => (FindByTerm(KeyDocuments.EmailKeys, KeyDocuments.TextIndexKey(q.Email)), false),
        KeyQuery.ByWords q => FindByWords(q.Words),
        KeyQuery.ByUserId q => Candidates(
            KeyDocuments.UserIdKeys,
            KeyDocuments.UserIdIndexKey(q.UserId),
            doc => HasPublishedUserId(doc, q.UserId),
            KeyDocuments.Identities),
        _ => throw new ArgumentException($"Unknown query kind {query.GetType().Name}.", nameof(query)),
    };

    /// <summary>
    /// The short key ID (RFC 9580 §5.5.4: the key ID is the last 8 octets of a v4 fingerprint and the
    /// first 8 of a v6 one; the short ID is the key ID's last 4) through which a fingerprint is found.
    /// </summary>
    private static string? ShortKeyIdOfFingerprint(string fingerprint) => fingerprint.Length switch
    {
        40 => fingerprint[32..],
        64 => fingerprint[8..16],
        _ => null,
    };

    /// <summary>
    /// An exact-term query, answered from the cache when it can be. With <paramref name="shortKeyIdOf"/>
    /// the term (a fingerprint or long key ID, <paramref name="index"/> naming the document's field
    /// that holds it) is found through the short key ID index and checked in the candidates.
    /// </summary>
    private string[] FindByTerm(string index, string? key, Func<string, string?>? shortKeyIdOf = null)
    {
        if (string.IsNullOrEmpty(key))
        {
            return [];
        }

        var term = TermKey(index, key);
        if (_cache.TryGetTerm(term, out var cached))
        {
            Interlocked.Increment(ref _cacheHits);
            return cached;
        }

        Interlocked.Increment(ref _cacheMisses);
        var generation = _cache.Generation;
        var (found, _) = shortKeyIdOf is null
            ? Candidates(index, key, filter: null)
            : Candidates(KeyDocuments.ShortKeyIds, shortKeyIdOf(key), doc => doc[index].AsArray.Contains(key), index);
        _cache.AddTerm(term, found, generation);
        return found;
    }

    private static string TermKey(string index, string key) => index + ":" + key;

    /// <summary>The cached terms whose results a write of <paramref name="record"/> can change.</summary>
    private static IEnumerable<string> TermsOf(KeyRecord record) =>
        record.Fingerprints.Select(f => TermKey(KeyDocuments.Fingerprints, f))
            .Concat(record.KeyIds.Select(k => TermKey(KeyDocuments.KeyIds, k)))
            .Concat(record.ShortKeyIds.Select(k => TermKey(KeyDocuments.ShortKeyIds, k)))
            .Concat(record.PublishedEmails.Select(e => TermKey(KeyDocuments.EmailKeys, KeyDocuments.TextIndexKey(e))));

    private (string[] Matches, bool Capped) FindByWords(IReadOnlyList<string> words)
    {
        if (words.Count == 0)
        {
            return ([], false);
        }

        var keys = words.Select(KeyDocuments.TextIndexKey).Distinct(StringComparer.Ordinal).ToList();
        var seek = RarestWordOf(keys);
        return Candidates(
            KeyDocuments.WordKeys,
            seek,
            doc =>
            {
                var present = doc[KeyDocuments.WordKeys].AsArray.Select(v => v.AsString).ToHashSet(StringComparer.Ordinal);
                return keys.TrueForAll(present.Contains);
            },
            KeyDocuments.WordKeys);
    }

    // The LiteDB engine is synchronous: the count is done by the time the task is returned.
    private string RarestWordOf(List<string> keys) => RarestWord.FindAsync(keys, (key, bound) => Task.FromResult(_context.Read(_ => Lookups.Query()
            .Where(BsonExpression.Create($"$.{KeyDocuments.WordKeys}[*] ANY = @0", new BsonValue(key)))
            .Select(BsonExpression.Create("{ _id: $._id }"))
            .Limit(bound)
            .ToList()
            .Count))).GetAwaiter().GetResult();

    private static bool HasPublishedUserId(BsonDocument doc, string userId) =>
        doc[KeyDocuments.Identities].AsArray
            .Select(v => v.AsDocument)
            .Any(i => i["State"].AsInt32 == (int)IdentityState.Published
                      && string.Equals(i["UserId"].AsString, userId, StringComparison.OrdinalIgnoreCase));

    // Hex keys that cannot be a fingerprint or key ID are not looked up at all. Queries and records
    // are both upper case (KeyQuery and KeyRecordBuilder normalise), so a cached answer is found and
    // invalidated under one spelling.
    private static string? HexKey(string value) => value.Length <= MaxHexQueryLength ? value : null;

    /// <summary>
    /// Primary fingerprints of published documents whose multi-key index <paramref name="index"/>
    /// holds <paramref name="key"/>, reading only the fields the filter needs.
    /// </summary>
    private (string[] Matches, bool Capped) Candidates(string index, string? key, Func<BsonDocument, bool>? filter, string? field = null)
    {
        if (string.IsNullOrEmpty(key))
        {
            return ([], false);
        }

        var projection = field is null
            ? $"{{ _id: $._id, {KeyDocuments.Published}: $.{KeyDocuments.Published} }}"
            : $"{{ _id: $._id, {KeyDocuments.Published}: $.{KeyDocuments.Published}, {field}: $.{field} }}";
        var found = _context.Read(_ => Lookups.Query()
            .Where(BsonExpression.Create($"$.{index}[*] ANY = @0", new BsonValue(key)))
            .Select(BsonExpression.Create(projection))
            .Limit(KeyPage.MaxMatches + 1)
            .ToList());

        // A word shared by a large part of the store ("org") must not read the whole index: past
        // the bound the answer is the first KeyPage.MaxMatches entries, and its total says "at least".
        var capped = found.Count > KeyPage.MaxMatches;
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var doc in found.Take(KeyPage.MaxMatches))
        {
            if (doc[KeyDocuments.Published].AsBoolean && (filter is null || filter(doc)))
            {
                result.Add(doc["_id"].AsString);
            }
        }

        var sorted = result.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        return (sorted, capped);
    }

    private List<WriteOutcome> ApplyChanges(
        IReadOnlyList<KeyChange> changes, HashSet<string> touched, HashSet<string> touchedTerms, out StoreCounters delta)
    {
        delta = StoreCounters.Empty;
        // Each fingerprint's state as the batch goes along: later changes see earlier ones, and only
        // the final state is written.
        var original = new Dictionary<string, KeyRecord?>(StringComparer.Ordinal);
        var current = new Dictionary<string, KeyRecord?>(StringComparer.Ordinal);
        var outcomes = new List<WriteOutcome>(changes.Count);

        foreach (var (fingerprint, change) in changes)
        {
            if (!current.TryGetValue(fingerprint, out var before))
            {
                before = ReadForUpdate(fingerprint);
                original[fingerprint] = before;
            }

            var after = change(before);
            if (after is not null)
            {
                Validate(fingerprint, after);
            }

            current[fingerprint] = after;
            outcomes.Add(WriteOutcomes.Of(before, after));
        }

        foreach (var (fingerprint, final) in current)
        {
            if (ReferenceEquals(final, original[fingerprint]))
            {
                continue;
            }

            touched.Add(fingerprint);
            delta = delta.Plus(StoreCounters.Of(final)).Minus(StoreCounters.Of(original[fingerprint]));
            foreach (var record in new[] { original[fingerprint], final }.OfType<KeyRecord>())
            {
                touchedTerms.UnionWith(TermsOf(record));
            }

            if (final is null)
            {
                Lookups.Delete(fingerprint);
                PublishedDocuments.Delete(fingerprint);
                FullKeys.Delete(fingerprint);
                continue;
            }

            var stamp = Guid.NewGuid();
            var published = KeyDocuments.ToPublishedDocument(final, stamp);
            if (original[fingerprint] is not { } stored)
            {
                // New key: plain inserts spare the look-ups an upsert makes (bulk import).
                Lookups.Insert(KeyDocuments.ToLookupDocument(final, stamp));
                FullKeys.Insert(KeyDocuments.ToFullKeyDocument(final, stamp));
                if (published is not null)
                {
                    PublishedDocuments.Insert(published);
                }

                continue;
            }

            Lookups.Update(KeyDocuments.ToLookupDocument(final, stamp));
            FullKeys.Update(KeyDocuments.ToFullKeyDocument(final, stamp));
            if (published is not null)
            {
                PublishedDocuments.Upsert(published);
            }
            else if (stored.IsPublished)
            {
                PublishedDocuments.Delete(fingerprint);
            }
        }

        return outcomes;
    }

    private static void Validate(string fingerprint, KeyRecord record)
    {
        if (!string.Equals(record.Fingerprint, fingerprint, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"The change for key {fingerprint} returned a record for key {record.Fingerprint}.");
        }

        var largest = Math.Max(record.FullKey.Length, record.Published?.Length ?? 0);
        if (largest > MaxBinaryBytes)
        {
            throw new ArgumentException(
                $"Key {fingerprint} has {largest} bytes of key material; this store keeps at most {MaxBinaryBytes} per document.");
        }
    }

    private KeyRecord? ReadForUpdate(string fingerprint) => ReadLocked(fingerprint);

    private enum ReadStatus
    {
        NotFound,
        Found,
        Torn,
    }
}
