using System.Globalization;
using Keyserver.Core.Keys;
using Keyserver.Core.Packets;
using Keyserver.Core.Search;
using Keyserver.Core.Storage;

namespace Keyserver.Core.Ingest;

/// <summary>
/// Accepts keys from an upload or a bulk import: reads armored or binary input, filters and verifies
/// each key, merges it into the stored key and writes the result.
/// </summary>
/// <remarks>
/// Work is ordered by cost: decoding and the structural filters run first (third-party signatures
/// are gone before any cryptography), then each new self-signature is checked once, in parallel
/// across keys; signatures already stored are not checked again. Writes go to the store in batches.
/// </remarks>
public sealed class KeyIngestor
{
    private const int BatchSize = 256;
    private static readonly string[] AcceptedArmor = ["PUBLIC KEY BLOCK", "SIGNATURE", "PRIVATE KEY BLOCK"];

    private readonly IKeyStore _store;
    private readonly KeyPolicy _policy;
    private readonly TimeProvider _time;

    /// <summary>Creates an ingestor writing to <paramref name="store"/>.</summary>
    /// <param name="store">Where keys are stored.</param>
    /// <param name="policy">Publication mode and abuse limits.</param>
    /// <param name="time">The clock for first-seen and last-modified times.</param>
    public KeyIngestor(IKeyStore store, KeyPolicy policy, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _policy = policy;
        _time = time;
    }

    /// <summary>
    /// Ingests whatever a client sent: one or more armored blocks (text around them is ignored),
    /// binary transferable public keys, or a bare key revocation signature, which is merged into the
    /// stored key it belongs to.
    /// </summary>
    /// <param name="input">The raw upload.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>One outcome per key and the input-level errors.</returns>
    public async Task<IngestReport> IngestAsync(ReadOnlyMemory<byte> input, IngestOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var keys = new List<List<Packet>>();
        var looseSignatures = new List<Packet>();
        foreach (var chunk in Decode(input, errors))
        {
            Group(chunk, keys, looseSignatures, errors);
        }

        if (keys.Count == 0 && looseSignatures.Count == 0 && errors.Count == 0)
        {
            errors.Add("no OpenPGP data found");
        }

        var limits = _policy.Limits;
        var outcomes = new KeyOutcome?[keys.Count + looseSignatures.Count];
        var candidates = new Candidate?[keys.Count];
        var parallel = new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.For(0, keys.Count, parallel, i =>
        {
            candidates[i] = KeyNormaliser.Filter(keys[i], limits, out var reason, out var fingerprint);
            if (candidates[i] is null)
            {
                outcomes[i] = Rejected(fingerprint, reason!, []);
            }
        });

        // Each stored key is read and parsed once: verification compares with it, and the write
        // merges into a copy of it unless another writer changed the key in between.
        var stored = new StoredKey?[outcomes.Length];
        for (var i = 0; i < keys.Count; i++)
        {
            if (candidates[i] is { } admitted && options.Admission is { } admission
                && await KeyAdmissionStep.ApplyAsync(admission, admitted, ct).ConfigureAwait(false) is { } refusal)
            {
                (outcomes[i], candidates[i]) = (Rejected(admitted.Fingerprint, refusal, admitted.Dropped.ToList()), null);
            }

            if (candidates[i] is { } candidate && await _store.GetAsync(candidate.Fingerprint, ct).ConfigureAwait(false) is { } record)
            {
                stored[i] = new StoredKey(record.FullKey, Certificate.Parse(record.FullKey));
            }
        }

        var uploads = new Certificate?[outcomes.Length];
        var prebuilt = new KeyRecord?[outcomes.Length];
        var now = _time.GetUtcNow();

        // Like the keys, revocations are matched against the store as it was before this upload.
        for (var j = 0; j < looseSignatures.Count; j++)
        {
            var index = keys.Count + j;
            (uploads[index], stored[index], outcomes[index]) = await Revocation(looseSignatures[j], ct).ConfigureAwait(false);
        }

        // Each batch is written while the next one is verified: the store has one writer thread,
        // and verification compares only with what was stored before this upload (read above).
        Task? writing = null;
        try
        {
            for (var start = 0; start < keys.Count; start += BatchSize)
            {
                var end = Math.Min(start + BatchSize, keys.Count);
                Parallel.For(start, end, parallel, i =>
                {
                    if (candidates[i] is not { } candidate)
                    {
                        return;
                    }

                    uploads[i] = KeyNormaliser.Verify(candidate, stored[i]?.Certificate, limits, out var reason);
                    if (uploads[i] is null)
                    {
                        outcomes[i] = Rejected(candidate.Fingerprint, reason!, candidate.Dropped.ToList());
                    }
                    else if (stored[i] is null)
                    {
                        // Most keys of a bulk import are new: build their records here, in parallel,
                        // rather than one by one inside the store's write.
                        prebuilt[i] = KeyRecordBuilder.Build(uploads[i]!, uploads[i]!.Serialize(), null, _policy.Mode, options.PublishAll, now);
                    }
                });

                if (writing is not null)
                {
                    await writing.ConfigureAwait(false);
                }

                // Only a batch with another one behind it needs its own thread to overlap with;
                // the last (for an upload, the only) batch is written inline.
                var batch = (start, end);
                writing = end < keys.Count
                    ? Task.Run(() => WriteAsync(batch.start, batch.end, uploads, prebuilt, stored, candidates, outcomes, options, now, ct), ct)
                    : WriteAsync(batch.start, batch.end, uploads, prebuilt, stored, candidates, outcomes, options, now, ct);
            }
        }
        finally
        {
            // Never leave a write running behind the caller, also when verification was cancelled.
            if (writing is not null)
            {
                await writing.ConfigureAwait(false);
            }
        }

        await WriteAsync(keys.Count, outcomes.Length, uploads, prebuilt, stored, candidates, outcomes, options, now, ct).ConfigureAwait(false);
        return new IngestReport(outcomes.Select(o => o!).ToList(), errors);
    }

    private async Task WriteAsync(int from, int to, Certificate?[] uploads, KeyRecord?[] prebuilt, StoredKey?[] stored, Candidate?[] candidates,
        KeyOutcome?[] outcomes, IngestOptions options, DateTimeOffset now, CancellationToken ct)
    {
        var pending = Enumerable.Range(from, to - from).Where(i => uploads[i] is not null).ToList();
        for (var start = 0; start < pending.Count; start += BatchSize)
        {
            var batch = pending.Skip(start).Take(BatchSize).ToList();
            var results = new ChangeResult[batch.Count];
            var changes = new List<KeyChange>(batch.Count);
            for (var k = 0; k < batch.Count; k++)
            {
                var upload = uploads[batch[k]]!;
                var ready = prebuilt[batch[k]];
                var before = stored[batch[k]];
                var result = results[k] = new ChangeResult();
                changes.Add(new KeyChange(upload.Info.FingerprintHex, previous => Apply(previous, before, upload, ready, options, now, result)));
            }

            var written = await _store.UpdateManyAsync(changes, ct).ConfigureAwait(false);
            for (var k = 0; k < batch.Count; k++)
            {
                var i = batch[k];
                var kind = written[k] switch
                {
                    WriteOutcome.Added => KeyOutcomeKind.Added,
                    WriteOutcome.Replaced => KeyOutcomeKind.Updated,
                    _ => KeyOutcomeKind.Unchanged,
                };
                var dropped = i < candidates.Length ? candidates[i]!.Dropped.ToList() : [];
                outcomes[i] = results[k].Rejection is { } rejection
                    ? Rejected(uploads[i]!.Info.FingerprintHex, rejection, dropped)
                    : new KeyOutcome(uploads[i]!.Info.FingerprintHex, kind, null, dropped, results[k].NewIdentities)
                    {
                        Identities = results[k].Identities,
                        Addresses = AddressesOf(uploads[i]!),
                    };
            }
        }
    }

    // Pure apart from recording what it built: the store may call it more than once, and the last
    // call is the one whose result is written.
    private KeyRecord? Apply(KeyRecord? previous, StoredKey? before, Certificate upload, KeyRecord? ready, IngestOptions options,
        DateTimeOffset now, ChangeResult result)
    {
        if (previous is null && ready is not null)
        {
            // Built from the upload alone, which passed the limits in KeyNormaliser.
            result.Record(ready.Identities, ready.Identities);
            return ready;
        }

        Certificate certificate;
        if (previous is null)
        {
            certificate = upload;
        }
        else
        {
            // The key as read before verification, unless another writer changed it since.
            certificate = before is not null && before.FullKey.AsSpan().SequenceEqual(previous.FullKey)
                ? before.Certificate.Copy()
                : Certificate.Parse(previous.FullKey);
            certificate.MergeFrom(upload);
        }

        var merged = certificate.Serialize();
        if (previous is not null && merged.AsSpan().SequenceEqual(previous.FullKey))
        {
            result.Record([], previous.Identities);
            return previous;
        }

        // The limits hold for the merged key, checked here inside the write so that neither
        // repeated nor racing uploads can grow a key past them.
        if (_policy.Limits.Violation(merged.Length, certificate.UserIds.Count, certificate.Subkeys.Count) is { } violation)
        {
            result.Reject(violation);
            return previous;
        }

        var record = KeyRecordBuilder.Build(certificate, merged, previous, _policy.Mode, options.PublishAll, now);
        var known = previous?.Identities.Select(i => i.UserId).ToHashSet(StringComparer.Ordinal) ?? [];
        result.Record(record.Identities.Where(i => !known.Contains(i.UserId)).ToList(), record.Identities);
        return record;
    }

    private async Task<(Certificate?, StoredKey?, KeyOutcome?)> Revocation(Packet signature, CancellationToken ct)
    {
        var info = SignatureInfo.Parse(signature.Body);
        if (info is null)
        {
            return (null, null, Rejected(null, "unparseable signature outside a key", []));
        }

        if (info.Type != SignatureInfo.KeyRevocation)
        {
            return (null, null, Rejected(null, string.Create(CultureInfo.InvariantCulture, $"a signature of type 0x{info.Type:X2} outside a key is not accepted (only key revocations)"), []));
        }

        KeyRecord? record = null;
        if (info.IssuerFingerprint is not null)
        {
            record = await _store.GetAsync(Convert.ToHexString(info.IssuerFingerprint), ct).ConfigureAwait(false);
        }
        else if (info.IssuerKeyId is { } keyId)
        {
            var page = await _store.FindAsync(new KeyQuery.ByKeyId(keyId.ToString("X16", CultureInfo.InvariantCulture)), 0, 2, ct).ConfigureAwait(false);
            record = page.Keys.Count == 1 ? page.Keys[0] : null;
        }

        var issuer = info.IssuerFingerprint is not null
            ? Convert.ToHexString(info.IssuerFingerprint)
            : info.IssuerKeyId?.ToString("X16", CultureInfo.InvariantCulture) ?? "unknown";
        if (record is null)
        {
            return (null, null, Rejected(null, $"revocation for unknown key 0x{issuer}", []));
        }

        var stored = Certificate.Parse(record.FullKey);
        using var verifier = new SignatureVerifier(stored.Primary, stored.Info.Version);
        if (!info.IssuedBy(stored.Info.Fingerprint, stored.Info.KeyId) || !verifier.VerifyDirect(signature))
        {
            return (null, null, Rejected(record.Fingerprint, "revocation signature does not verify against the stored key", []));
        }

        var upload = new Certificate(stored.Primary, stored.Info);
        upload.AddDirect(signature);
        return (upload, new StoredKey(record.FullKey, stored), null);
    }

    private static List<string> AddressesOf(Certificate upload) => upload.UserIds
        .Select(c => SearchText.Email(System.Text.Encoding.UTF8.GetString(c.Packet.Body.Span)))
        .OfType<string>()
        .Distinct(StringComparer.Ordinal)
        .ToList();

    private static KeyOutcome Rejected(string? fingerprint, string reason, IReadOnlyList<string> dropped) =>
        new(fingerprint, KeyOutcomeKind.Rejected, reason, dropped, []);

    private static List<ReadOnlyMemory<byte>> Decode(ReadOnlyMemory<byte> input, List<string> errors)
    {
        var chunks = new List<ReadOnlyMemory<byte>>();
        var span = input.Span;
        if (ArmorDecoder.LooksArmored(span))
        {
            foreach (var block in ArmorDecoder.Decode(span))
            {
                if (block.Error is not null)
                {
                    errors.Add(block.Error);
                }
                else if (!AcceptedArmor.Contains(block.Type, StringComparer.Ordinal))
                {
                    errors.Add($"armor block '{block.Type}' is not a key");
                }
                else
                {
                    chunks.Add(block.Data!);
                }
            }
        }
        else if (!span.IsEmpty && (span[0] & 0x80) != 0)
        {
            chunks.Add(input);
        }

        return chunks;
    }

    private static void Group(ReadOnlyMemory<byte> chunk, List<List<Packet>> keys, List<Packet> looseSignatures, List<string> errors)
    {
        var packets = PacketReader.Split(chunk, out var error);
        if (error is not null)
        {
            errors.Add(error);
        }

        List<Packet>? current = null;
        var outside = 0;
        foreach (var packet in packets)
        {
            if (packet.Tag is Packet.PublicKey or Packet.SecretKey)
            {
                current = [packet];
                keys.Add(current);
            }
            else if (current is not null)
            {
                current.Add(packet);
            }
            else if (packet.Tag == Packet.Signature)
            {
                looseSignatures.Add(packet);
            }
            else if (packet.Tag != Packet.Marker)
            {
                outside++;
            }
        }

        if (outside > 0)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{outside} packets outside any key were ignored"));
        }
    }

    /// <summary>A stored key as read before this upload, and its parse.</summary>
    private sealed record StoredKey(byte[] FullKey, Certificate Certificate);

    // Written by the change function; the store may call it more than once, and the last call wins.
    private sealed class ChangeResult
    {
        public IReadOnlyList<IdentityRecord> NewIdentities { get; private set; } = [];

        public IReadOnlyList<IdentityRecord> Identities { get; private set; } = [];

        public string? Rejection { get; private set; }

        public void Record(IReadOnlyList<IdentityRecord> added, IReadOnlyList<IdentityRecord> all)
        {
            NewIdentities = added;
            Identities = all;
            Rejection = null;
        }

        public void Reject(string reason)
        {
            NewIdentities = [];
            Identities = [];
            Rejection = reason;
        }
    }
}
