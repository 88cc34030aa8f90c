using System.Text;
using Keyserver.Core.Search;
using Keyserver.Core.Storage;
using static Keyserver.Contracts.TestRecords;

namespace Keyserver.Contracts;

/// <summary>
/// What every <see cref="IKeyStore"/> must do, written against the interface only. A backend gets
/// this suite by deriving and saying how to open a store in a directory; each test has its own.
/// </summary>
public abstract class KeyStoreContractTests(StoreBackend<IKeyStore> backend) : StoreContract<IKeyStore>(backend)
{
    protected IKeyStore Store => Opened;

    protected Task<WriteOutcome> Put(KeyRecord record) => Store.UpdateAsync(record.Fingerprint, _ => record);

    protected async Task AssertFindsNothing(IEnumerable<KeyQuery> queries)
    {
        foreach (var query in queries)
        {
            var page = await Store.FindAsync(query, 0, 10);
            Assert.Empty(page.Keys);
            Assert.Equal(0, page.Total);
        }
    }

    protected static void AssertSameRecord(KeyRecord expected, KeyRecord? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Fingerprint, actual.Fingerprint);
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.FullKey, actual.FullKey);

        Assert.Equal(expected.Published, actual.Published);
        Assert.Equal(expected.Primary, actual.Primary);
        Assert.Equal(expected.Subkeys, actual.Subkeys);
        Assert.Equal(expected.Identities, actual.Identities);
        Assert.Equal(expected.Fingerprints, actual.Fingerprints);
        Assert.Equal(expected.KeyIds, actual.KeyIds);
        Assert.Equal(expected.ShortKeyIds, actual.ShortKeyIds);
        Assert.Equal(expected.PublishedEmails, actual.PublishedEmails);
        Assert.Equal(expected.PublishedWords, actual.PublishedWords);
        Assert.Equal(expected.FirstSeen, actual.FirstSeen);
        Assert.Equal(expected.LastModified, actual.LastModified);
    }

    private async Task<IReadOnlyList<string>> FindFingerprints(KeyQuery query)
    {
        var page = await Store.FindAsync(query, 0, 100);
        Assert.Equal(page.Keys.Count, page.Total);
        return page.Keys.Select(k => k.Fingerprint).ToList();
    }

    // --- writes -------------------------------------------------------------------------------

    [Fact]
    public async Task Update_NewKey_ReturnsAddedAndStoresEveryField()
    {
        var revoked = new Revocation(Epoch.AddDays(9), 32, "left the project");
        var record = Create(
            Fingerprint(1),
            [Identity("Alice Example <alice@example.org>"), Identity("Old <old@example.org>", revoked: revoked), Identity("Pending <p@example.org>", IdentityState.Pending)],
            subkeys: [Fingerprint(2, "5B")]);

        var outcome = await Put(record);

        Assert.Equal(WriteOutcome.Added, outcome);
        AssertSameRecord(record, await Store.GetAsync(record.Fingerprint));
    }

    [Fact]
    public async Task Update_ExistingKey_ReturnsReplacedAndChangeSeesStoredRecord()
    {
        var first = Create(Fingerprint(1), "Alice <alice@example.org>");
        await Put(first);
        KeyRecord? seen = null;
        var second = AddIdentity(first, first.Fingerprint, Identity("Alice Work <alice@work.example>"));

        var outcome = await Store.UpdateAsync(first.Fingerprint, stored =>
        {
            seen = stored;
            return second;
        });

        Assert.Equal(WriteOutcome.Replaced, outcome);
        AssertSameRecord(first, seen);
        AssertSameRecord(second, await Store.GetAsync(first.Fingerprint));
    }

    [Fact]
    public async Task Update_ChangeReturnsStoredInstance_ReturnsUnchanged()
    {
        var record = Create(Fingerprint(1), "Alice <alice@example.org>");
        await Put(record);

        var outcome = await Store.UpdateAsync(record.Fingerprint, stored => stored);

        Assert.Equal(WriteOutcome.Unchanged, outcome);
        AssertSameRecord(record, await Store.GetAsync(record.Fingerprint));
    }

    [Fact]
    public async Task Update_ChangeReturnsNull_DeletesRecordFromEveryLookup()
    {
        var record = Create(Fingerprint(1), "Alice <alice@example.org>");
        await Put(record);
        Assert.Single(await FindFingerprints(new KeyQuery.ByEmail("alice@example.org")));

        var outcome = await Store.UpdateAsync(record.Fingerprint, _ => null);

        Assert.Equal(WriteOutcome.Deleted, outcome);
        Assert.Null(await Store.GetAsync(record.Fingerprint));
        Assert.Empty(await FindFingerprints(new KeyQuery.ByEmail("alice@example.org")));
        Assert.Empty(await FindFingerprints(new KeyQuery.ByFingerprint(record.Fingerprint)));
        Assert.Equal(new StoreStatistics(0, 0, 0), await Store.GetStatisticsAsync());
    }

    [Fact]
    public async Task Update_MissingKeyChangeReturnsNull_ReturnsUnchanged()
    {
        KeyRecord? seen = Create(Fingerprint(9));

        var outcome = await Store.UpdateAsync(Fingerprint(1), stored =>
        {
            seen = stored;
            return null;
        });

        Assert.Equal(WriteOutcome.Unchanged, outcome);
        Assert.Null(seen);
        Assert.Null(await Store.GetAsync(Fingerprint(1)));
    }

    [Fact]
    public async Task Update_ChangeThrows_StoredRecordByteIdentical()
    {
        var record = Create(Fingerprint(1), "Alice <alice@example.org>");
        await Put(record);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Store.UpdateAsync(record.Fingerprint, _ => throw new InvalidOperationException("merge failed")));

        AssertSameRecord(record, await Store.GetAsync(record.Fingerprint));
        Assert.Equal(WriteOutcome.Unchanged, await Store.UpdateAsync(record.Fingerprint, stored => stored));
    }

    [Fact]
    public async Task Update_ChangeReturnsRecordOfOtherKey_ThrowsAndStoresNothing()
    {
        var other = Create(Fingerprint(2), "Mallory <m@example.org>");

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.UpdateAsync(Fingerprint(1), _ => other));

        Assert.Null(await Store.GetAsync(Fingerprint(1)));
        Assert.Null(await Store.GetAsync(Fingerprint(2)));
    }

    [Fact]
    public async Task Update_CancelledBeforeStart_ThrowsAndStoresNothing()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var record = Create(Fingerprint(1), "Alice <alice@example.org>");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.UpdateAsync(record.Fingerprint, _ => record, cancelled.Token));

        Assert.Null(await Store.GetAsync(record.Fingerprint));
    }

    [Fact]
    public async Task Update_SixteenConcurrentIdentityAdds_AllSixteenMerged()
    {
        var fingerprint = Fingerprint(1);
        await Put(Create(fingerprint, "Owner <owner@example.org>"));

        var uploads = Enumerable.Range(0, 16).Select(i => Task.Run(() => Store.UpdateAsync(
            fingerprint,
            stored => AddIdentity(stored, fingerprint, Identity($"User {i} <user{i}@example.org>")))));
        var outcomes = await Task.WhenAll(uploads);

        Assert.All(outcomes, o => Assert.Equal(WriteOutcome.Replaced, o));
        var stored = await Store.GetAsync(fingerprint);
        Assert.NotNull(stored);
        Assert.Equal(17, stored.Identities.Count);
        for (var i = 0; i < 16; i++)
        {
            Assert.Single(await FindFingerprints(new KeyQuery.ByEmail($"user{i}@example.org")));
        }
    }

    [Fact]
    public async Task UpdateMany_SameKeyTwice_LaterChangeSeesEarlierOne()
    {
        var fingerprint = Fingerprint(1);
        var first = Create(fingerprint, "Alice <alice@example.org>");
        KeyRecord? seenBySecond = null;
        var changes = new List<KeyChange>
        {
            new(fingerprint, _ => first),
            new(Fingerprint(2), _ => Create(Fingerprint(2), "Bob <bob@example.org>")),
            new(fingerprint, stored =>
            {
                seenBySecond = stored;
                return AddIdentity(stored, fingerprint, Identity("Alice Work <alice@work.example>"));
            }),
            new(fingerprint, stored => stored),
            new(Fingerprint(2), _ => null),
        };

        var outcomes = await Store.UpdateManyAsync(changes);

        Assert.Equal([WriteOutcome.Added, WriteOutcome.Added, WriteOutcome.Replaced, WriteOutcome.Unchanged, WriteOutcome.Deleted], outcomes);
        Assert.Same(first, seenBySecond);
        Assert.Equal(2, (await Store.GetAsync(fingerprint))!.Identities.Count);
        Assert.Null(await Store.GetAsync(Fingerprint(2)));
        Assert.Single(await FindFingerprints(new KeyQuery.ByEmail("alice@work.example")));
    }

    [Fact]
    public async Task UpdateMany_OneChangeThrows_NothingCommitted()
    {
        var existing = Create(Fingerprint(1), "Alice <alice@example.org>");
        await Put(existing);
        var changes = new List<KeyChange>
        {
            new(Fingerprint(1), _ => null),
            new(Fingerprint(2), _ => Create(Fingerprint(2), "Bob <bob@example.org>")),
            new(Fingerprint(3), _ => throw new InvalidDataException("bad key")),
        };

        await Assert.ThrowsAsync<InvalidDataException>(() => Store.UpdateManyAsync(changes));

        AssertSameRecord(existing, await Store.GetAsync(Fingerprint(1)));
        Assert.Null(await Store.GetAsync(Fingerprint(2)));
        Assert.Single(await FindFingerprints(new KeyQuery.ByEmail("alice@example.org")));
    }

    [Fact]
    public async Task UpdateMany_EmptyBatch_ReturnsNoOutcomes()
    {
        Assert.Empty(await Store.UpdateManyAsync([]));
    }

    [Fact]
    public async Task UpdateMany_ThousandKeys_AllStored()
    {
        var records = Enumerable.Range(0, 1000).Select(i => Create(Fingerprint(i), $"User {i} <user{i}@example.org>")).ToList();

        var outcomes = await Store.UpdateManyAsync(records.Select(r => new KeyChange(r.Fingerprint, _ => r)).ToList());

        Assert.All(outcomes, o => Assert.Equal(WriteOutcome.Added, o));
        Assert.Equal(new StoreStatistics(1000, 1000, 1000), await Store.GetStatisticsAsync());
        AssertSameRecord(records[777], await Store.GetAsync(records[777].Fingerprint));
    }

    [Fact]
    public async Task Reopen_AfterClose_DataIntact()
    {
        var record = Create(Fingerprint(1), [Identity("Alice <alice@example.org>")], subkeys: [Fingerprint(7, "5B")]);
        await Put(record);
        await Put(Create(Fingerprint(2), "Bob <bob@example.org>"));
        await Store.UpdateAsync(Fingerprint(2), _ => null);

        CloseStore();

        AssertSameRecord(record, await Store.GetAsync(record.Fingerprint));
        Assert.Null(await Store.GetAsync(Fingerprint(2)));
        Assert.Equal([record.Fingerprint], await FindFingerprints(new KeyQuery.ByKeyId(Fingerprint(7, "5B")[^16..])));
    }

    // --- reads --------------------------------------------------------------------------------

    [Fact]
    public async Task Get_UnknownFingerprint_ReturnsNull()
    {
        await Put(Create(Fingerprint(1), "Alice <alice@example.org>"));

        Assert.Null(await Store.GetAsync(Fingerprint(2)));
        Assert.Null(await Store.GetAsync(""));
    }

    [Fact]
    public async Task Get_UnpublishedRecord_ReturnsIt()
    {
        var record = Create(Fingerprint(1), [Identity("Pending <p@example.org>", IdentityState.Pending)]);
        await Put(record);

        var stored = await Store.GetAsync(record.Fingerprint);

        AssertSameRecord(record, stored);
        Assert.False(stored!.IsPublished);
    }

    [Fact]
    public async Task Find_ByPrimaryFingerprint_ReturnsWholeRecord()
    {
        var record = Create(Fingerprint(1), "Alice <alice@example.org>");
        await Put(record);
        await Put(Create(Fingerprint(2), "Bob <bob@example.org>"));

        var page = await Store.FindAsync(new KeyQuery.ByFingerprint(record.Fingerprint), 0, 10);

        Assert.Equal(1, page.Total);
        AssertSameRecord(record, Assert.Single(page.Keys));
    }

    [Fact]
    public async Task Find_BySubkeyFingerprintOrKeyId_ReturnsPrimaryRecord()
    {
        var subkey = Fingerprint(5, "5B");
        await Put(Create(Fingerprint(1), [Identity("Alice <alice@example.org>")], subkeys: [subkey]));

        Assert.Equal([Fingerprint(1)], await FindFingerprints(new KeyQuery.ByFingerprint(subkey)));
        Assert.Equal([Fingerprint(1)], await FindFingerprints(new KeyQuery.ByKeyId(subkey[^16..])));
        Assert.Equal([Fingerprint(1)], await FindFingerprints(new KeyQuery.ByShortKeyId(subkey[^8..])));
        Assert.Equal([Fingerprint(1)], await FindFingerprints(new KeyQuery.ByKeyId(Fingerprint(1)[^16..])));
    }

    [Fact]
    public async Task Find_ShortKeyIdOfSeveralKeys_ReturnsAllInFingerprintOrder()
    {
        await Put(Create(Fingerprint(1, "CD"), "Carol <carol@example.org>"));
        await Put(Create(Fingerprint(1, "AB"), "Alice <alice@example.org>"));
        await Put(Create(Fingerprint(2, "AB"), "Bob <bob@example.org>"));

        var found = await FindFingerprints(new KeyQuery.ByShortKeyId(Fingerprint(1)[^8..]));

        Assert.Equal([Fingerprint(1, "AB"), Fingerprint(1, "CD")], found);
    }

    [Fact]
    public async Task Find_UnpublishedRecord_NeverReturnedByAnyQuery()
    {
        var subkey = Fingerprint(5, "5B");
        var record = Create(
            Fingerprint(1),
            [Identity("Hidden Person <hidden@example.org>", IdentityState.Pending), Identity("Gone <gone@example.org>", IdentityState.Unpublished)],
            subkeys: [subkey]);
        await Put(record);

        KeyQuery[] queries =
        [
            new KeyQuery.ByFingerprint(record.Fingerprint),
            new KeyQuery.ByFingerprint(subkey),
            new KeyQuery.ByKeyId(record.Fingerprint[^16..]),
            new KeyQuery.ByShortKeyId(record.Fingerprint[^8..]),
            new KeyQuery.ByEmail("hidden@example.org"),
            new KeyQuery.ByWords(["hidden"]),
            new KeyQuery.ByUserId("Hidden Person <hidden@example.org>"),
        ];
        await AssertFindsNothing(queries);
    }

    [Fact]
    public async Task Find_ByEmail_MatchesOnlyPublishedIdentities()
    {
        await Put(Create(Fingerprint(1), [Identity("Alice <alice@example.org>"), Identity("Alice Private <private@example.org>", IdentityState.Pending)]));
        await Put(Create(Fingerprint(2), "Alice Again <alice@example.org>"));

        Assert.Equal([Fingerprint(1), Fingerprint(2)], await FindFingerprints(new KeyQuery.ByEmail("alice@example.org")));
        Assert.Empty(await FindFingerprints(new KeyQuery.ByEmail("private@example.org")));
        Assert.Empty(await FindFingerprints(new KeyQuery.ByEmail("alice@example")));
    }

    [Fact]
    public async Task Find_ByWords_EveryWordMustMatch()
    {
        await Put(Create(Fingerprint(1), "Alice Liddell <alice@example.org>"));
        await Put(Create(Fingerprint(2), "Alice Cooper <cooper@example.org>"));
        await Put(Create(Fingerprint(3), "Bob Liddell <bob@example.org>"));

        Assert.Equal([Fingerprint(1), Fingerprint(2)], await FindFingerprints(new KeyQuery.ByWords(["alice"])));
        Assert.Equal([Fingerprint(1)], await FindFingerprints(new KeyQuery.ByWords(["alice", "liddell"])));
        Assert.Equal([Fingerprint(1)], await FindFingerprints(new KeyQuery.ByWords(["liddell", "alice", "alice"])));
        Assert.Empty(await FindFingerprints(new KeyQuery.ByWords(["alice", "bob"])));
        Assert.Empty(await FindFingerprints(new KeyQuery.ByWords(["ali"])));
        Assert.Empty(await FindFingerprints(new KeyQuery.ByWords([])));
    }

    [Fact]
    public async Task Find_ByWords_WordsAcrossIdentitiesOfOneKeyMatch()
    {
        await Put(Create(Fingerprint(1), "Alice <alice@example.org>", "Liddell <l@example.org>"));

        Assert.Equal([Fingerprint(1)], await FindFingerprints(new KeyQuery.ByWords(["alice", "liddell"])));
    }

    [Fact]
    public async Task Find_ByUserId_CaseInsensitiveExactMatchOfPublishedIdentity()
    {
        await Put(Create(Fingerprint(1), [Identity("Alice Liddell <alice@example.org>"), Identity("Secret Alice <s@example.org>", IdentityState.Pending)]));
        await Put(Create(Fingerprint(2), "Alice Liddell <alice@example.org> (work)"));

        Assert.Equal([Fingerprint(1)], await FindFingerprints(new KeyQuery.ByUserId("alice LIDDELL <Alice@Example.org>")));
        Assert.Empty(await FindFingerprints(new KeyQuery.ByUserId("Alice Liddell")));
        Assert.Empty(await FindFingerprints(new KeyQuery.ByUserId("Secret Alice <s@example.org>")));
    }

    [Fact]
    public async Task Find_Paging_OffsetLimitAndTotalOverStableOrder()
    {
        var fingerprints = Enumerable.Range(0, 25).Select(i => Fingerprint(i * 7919 % 1000)).ToList();
        foreach (var fingerprint in fingerprints)
        {
            await Put(Create(fingerprint, "Team Member <team@example.org>"));
        }

        var pages = new List<KeyPage>();
        for (var offset = 0; offset < 30; offset += 10)
        {
            pages.Add(await Store.FindAsync(new KeyQuery.ByWords(["team"]), offset, 10));
        }

        Assert.All(pages, p => Assert.Equal(25, p.Total));
        Assert.Equal([10, 10, 5], pages.Select(p => p.Keys.Count));
        Assert.Equal(fingerprints.Order(StringComparer.Ordinal), pages.SelectMany(p => p.Keys).Select(k => k.Fingerprint));
        var beyond = await Store.FindAsync(new KeyQuery.ByEmail("team@example.org"), 100, 10);
        Assert.Empty(beyond.Keys);
        Assert.Equal(25, beyond.Total);
        var countOnly = await Store.FindAsync(new KeyQuery.ByEmail("team@example.org"), 0, 0);
        Assert.Empty(countOnly.Keys);
        Assert.Equal(25, countOnly.Total);
    }

    [Fact]
    public async Task Find_NegativeOffsetOrLimit_Throws()
    {
        var query = new KeyQuery.ByEmail("alice@example.org");

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.FindAsync(query, -1, 10));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.FindAsync(query, 0, -1));
    }

    [Fact]
    public async Task Find_HostileQueryValues_ReturnEmptyWithoutError()
    {
        await Put(Create(Fingerprint(1), "Alice <alice@example.org>"));
        var huge = new string('A', 100_000);

        KeyQuery[] queries =
        [
            new KeyQuery.ByFingerprint(huge),
            new KeyQuery.ByFingerprint(""),
            new KeyQuery.ByKeyId(huge),
            new KeyQuery.ByShortKeyId("\0\0\0\0\0\0\0\0"),
            new KeyQuery.ByEmail(huge + "@example.org"),
            new KeyQuery.ByEmail(""),
            new KeyQuery.ByWords([huge.ToLowerInvariant(), ""]),
            new KeyQuery.ByWords(["'; drop", "$.x", "\"}"]),
            new KeyQuery.ByUserId(huge),
            new KeyQuery.ByUserId(""),
            new KeyQuery.ByUserId("\uFFFD\u0000<@>"),
        ];
        await AssertFindsNothing(queries);
    }

    [Fact]
    public async Task Find_VeryLongUserIdAndWord_StillFoundExactly()
    {
        var longWord = new string('x', 3000);
        var longUserId = "Long " + longWord + " <long@example.org>";
        await Put(Create(Fingerprint(1), longUserId));
        await Put(Create(Fingerprint(2), "Long " + longWord + "y <other@example.org>"));

        Assert.Equal([Fingerprint(1)], await FindFingerprints(new KeyQuery.ByWords([longWord])));
        Assert.Equal([Fingerprint(1)], await FindFingerprints(new KeyQuery.ByUserId(longUserId.ToUpperInvariant())));
        Assert.Equal([Fingerprint(1), Fingerprint(2)], await FindFingerprints(new KeyQuery.ByWords(["long"])));
    }

    [Fact]
    public async Task Find_NonAsciiUserId_MatchesCaseInsensitively()
    {
        await Put(Create(Fingerprint(1), "Émile Zoë Ñandú <emile@example.org>"));

        Assert.Equal([Fingerprint(1)], await FindFingerprints(new KeyQuery.ByWords(["émile", "ñandú"])));
        Assert.Equal([Fingerprint(1)], await FindFingerprints(new KeyQuery.ByUserId("ÉMILE ZOË ÑANDÚ <EMILE@EXAMPLE.ORG>")));
    }

    [Fact]
    public async Task Find_AfterUpdate_SeesNewVersionAndUnpublishing()
    {
        var fingerprint = Fingerprint(1);
        await Put(Create(fingerprint, "Alice <alice@example.org>"));
        Assert.Single(await FindFingerprints(new KeyQuery.ByFingerprint(fingerprint)));

        var updated = AddIdentity(await Store.GetAsync(fingerprint), fingerprint, Identity("Alice New <new@example.org>"));
        await Put(updated);
        var page = await Store.FindAsync(new KeyQuery.ByFingerprint(fingerprint), 0, 10);
        Assert.Equal(updated.PublishedArmored, Assert.Single(page.Keys).PublishedArmored);

        await Put(Create(fingerprint, [Identity("Alice <alice@example.org>", IdentityState.Unpublished)]));
        Assert.Empty(await FindFingerprints(new KeyQuery.ByFingerprint(fingerprint)));
        Assert.Empty(await FindFingerprints(new KeyQuery.ByEmail("alice@example.org")));
    }

    [Fact]
    public async Task Find_NotFoundThenAdded_FoundWithoutStaleAnswer()
    {
        var fingerprint = Fingerprint(1);
        Assert.Empty(await FindFingerprints(new KeyQuery.ByFingerprint(fingerprint)));
        Assert.Empty(await FindFingerprints(new KeyQuery.ByEmail("late@example.org")));
        Assert.Empty(await FindFingerprints(new KeyQuery.ByShortKeyId(fingerprint[^8..])));

        await Put(Create(fingerprint, "Late <late@example.org>"));

        Assert.Equal([fingerprint], await FindFingerprints(new KeyQuery.ByFingerprint(fingerprint)));
        Assert.Equal([fingerprint], await FindFingerprints(new KeyQuery.ByEmail("late@example.org")));
        Assert.Equal([fingerprint], await FindFingerprints(new KeyQuery.ByShortKeyId(fingerprint[^8..])));
    }

    [Fact]
    public async Task Find_SubkeyMovedToAnotherKey_ResolvesToNewOwner()
    {
        var subkey = Fingerprint(5, "5B");
        await Put(Create(Fingerprint(1), [Identity("Alice <alice@example.org>")], subkeys: [subkey]));
        await Put(Create(Fingerprint(2), "Bob <bob@example.org>"));
        Assert.Equal([Fingerprint(1)], await FindFingerprints(new KeyQuery.ByKeyId(subkey[^16..])));

        await Store.UpdateManyAsync(
        [
            new KeyChange(Fingerprint(1), _ => Create(Fingerprint(1), "Alice <alice@example.org>")),
            new KeyChange(Fingerprint(2), _ => Create(Fingerprint(2), [Identity("Bob <bob@example.org>")], subkeys: [subkey])),
        ]);

        Assert.Equal([Fingerprint(2)], await FindFingerprints(new KeyQuery.ByKeyId(subkey[^16..])));
        Assert.Equal([Fingerprint(2)], await FindFingerprints(new KeyQuery.ByFingerprint(subkey)));
    }

    [Fact]
    public async Task Find_EmailMovedBetweenIdentitiesAndKeys_FollowsPublication()
    {
        await Put(Create(Fingerprint(1), "Alice <shared@example.org>"));
        Assert.Equal([Fingerprint(1)], await FindFingerprints(new KeyQuery.ByEmail("shared@example.org")));

        await Put(Create(Fingerprint(1), [Identity("Alice <shared@example.org>", IdentityState.Unpublished), Identity("Alice <alice@example.org>")]));
        await Put(Create(Fingerprint(2), "Shared <shared@example.org>"));

        Assert.Equal([Fingerprint(2)], await FindFingerprints(new KeyQuery.ByEmail("shared@example.org")));
        Assert.Equal([Fingerprint(1)], await FindFingerprints(new KeyQuery.ByEmail("alice@example.org")));
    }

    [Fact]
    public async Task Find_ConcurrentWithWriters_AlwaysSeesWholeRecords()
    {
        var fingerprint = Fingerprint(1);
        await Put(Create(fingerprint, "Owner <owner@example.org>"));

        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
            {
                await Store.UpdateAsync(fingerprint, stored => AddIdentity(stored, fingerprint, Identity($"Writer {i} <w{i}@example.org>")));
            }
        });
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            var lastCount = 0;
            while (!writer.IsCompleted)
            {
                var record = Assert.Single((await Store.FindAsync(new KeyQuery.ByFingerprint(fingerprint), 0, 1)).Keys);
                Assert.Equal(record.Identities.Count, record.PublishedEmails.Count);
                Assert.Contains($"r{record.Identities.Count - 1} ", Encoding.UTF8.GetString(record.Published!), StringComparison.Ordinal);
                Assert.True(record.Identities.Count >= lastCount, "a reader went back in time");
                lastCount = record.Identities.Count;
            }
        })).ToList();
        await Task.WhenAll(readers.Append(writer));

        var final = Assert.Single((await Store.FindAsync(new KeyQuery.ByFingerprint(fingerprint), 0, 1)).Keys);
        Assert.Equal(41, final.Identities.Count);
    }

    // --- scan and statistics ------------------------------------------------------------------

    [Fact]
    public async Task Scan_ManyRecords_AllInFingerprintOrderWithFullKeys()
    {
        var records = Enumerable.Range(0, 150)
            .Select(i => i % 3 == 0
                ? Create(Fingerprint(i * 37 % 1000), [Identity($"Pending {i} <p{i}@example.org>", IdentityState.Pending)])
                : Create(Fingerprint(i * 37 % 1000), $"User {i} <u{i}@example.org>"))
            .ToList();
        await Store.UpdateManyAsync(records.Select(r => new KeyChange(r.Fingerprint, _ => r)).ToList());

        var scanned = new List<KeyRecord>();
        await foreach (var record in Store.ScanAsync())
        {
            scanned.Add(record);
        }

        var expected = records.OrderBy(r => r.Fingerprint, StringComparer.Ordinal).ToList();
        Assert.Equal(expected.Count, scanned.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            AssertSameRecord(expected[i], scanned[i]);
        }
    }

    [Fact]
    public async Task Scan_Cancelled_Throws()
    {
        await Put(Create(Fingerprint(1), "Alice <alice@example.org>"));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var record in Store.ScanAsync(cancelled.Token))
            {
                Assert.Fail($"unexpected record {record.Fingerprint}");
            }
        });
    }

    [Fact]
    public async Task Scan_EmptyStore_YieldsNothing()
    {
        await foreach (var record in Store.ScanAsync())
        {
            Assert.Fail($"unexpected record {record.Fingerprint}");
        }
    }

    [Fact]
    public async Task Statistics_CountKeysPublishedKeysAndPublishedIdentities()
    {
        await Put(Create(Fingerprint(1), "A <a@example.org>", "B <b@example.org>"));
        await Put(Create(Fingerprint(2), [Identity("C <c@example.org>"), Identity("D <d@example.org>", IdentityState.Pending)]));
        await Put(Create(Fingerprint(3), [Identity("E <e@example.org>", IdentityState.Unpublished)]));
        await Put(Create(Fingerprint(4), [Identity("F <f@example.org>", revoked: new Revocation(Epoch, 32, ""))]));

        Assert.Equal(new StoreStatistics(4, 3, 4), await Store.GetStatisticsAsync());
    }

    [Fact]
    public async Task Statistics_EmptyStore_AllZero()
    {
        Assert.Equal(new StoreStatistics(0, 0, 0), await Store.GetStatisticsAsync());
    }

    [Fact]
    public async Task Update_BinaryFieldsWithAllByteValues_RoundTrip()
    {
        var bytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var basic = Create(Fingerprint(1), "Alice <alice@example.org>");
        var record = Copy(
            basic,
            version: 6,
            fullKey: [.. bytes, .. bytes],
            published: bytes,
            primary: basic.Primary with { Curve = null, Expires = null },
            firstSeen: new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)).AddTicks(1234),
            lastModified: DateTimeOffset.MaxValue);

        await Put(record);

        AssertSameRecord(record, await Store.GetAsync(record.Fingerprint));
    }
}
