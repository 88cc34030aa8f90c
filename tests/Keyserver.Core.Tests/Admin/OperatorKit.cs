using Microsoft.Extensions.Logging.Abstractions;

namespace Keyserver.Core.Tests.Admin;

/// <summary>The upload use case, verification and admin actions over the in-memory stores, with one operator policy.</summary>
internal sealed class OperatorKit
{
    public static readonly VerificationSettings EmailMode =
        new(PublicationMode.Email, TimeSpan.FromDays(3), TimeSpan.FromHours(1), TimeSpan.FromDays(14));

    public OperatorKit(PolicySettings? settings = null, PublicationMode mode = PublicationMode.Email)
    {
        Policy = new OperatorPolicy(Keys, Blocks, Audit, settings ?? PolicySettings.Open, Clock);
        Verification = new VerificationService(Keys, Tokens, Outbox, EmailMode with { Mode = mode }, Clock) { Operator = Policy };
        Submission = new KeySubmission(new KeyIngestor(Keys, new KeyPolicy(mode, new KeyLimits()), Clock), Verification, NullLogger<KeySubmission>.Instance, Policy);
        Actions = new AdminActions(Keys, Policy, Verification, Clock);
    }

    public FakeTimeProvider Clock { get; } = new(TestVectors.Now);

    public InMemoryKeyStore Keys { get; } = new();

    public InMemoryVerificationStore Tokens { get; } = new();

    public InMemoryMailOutbox Outbox { get; } = new();

    public InMemoryBlockList Blocks { get; } = new();

    public InMemoryAuditLog Audit { get; } = new();

    public OperatorPolicy Policy { get; }

    public VerificationService Verification { get; }

    public KeySubmission Submission { get; }

    public AdminActions Actions { get; }

    public Task<SubmissionResult> UploadAsync(string vector, SubmissionChannel channel = SubmissionChannel.Hkp) =>
        Submission.SubmitAsync(TestVectors.Read(vector), channel);

    public Task<SubmissionResult> UploadAsync(byte[] key, SubmissionChannel channel = SubmissionChannel.Hkp) => Submission.SubmitAsync(key, channel);

    public string TokenFor(string address, MailKind kind = MailKind.Verify) => Outbox.Mails.Last(m => m.To == address && m.Kind == kind).Token;

    public async Task<VerifyResult> ConfirmAsync(string address) => await Verification.ConfirmAsync(TokenFor(address));

    public async Task<IReadOnlyList<string>> PublishedOnAsync(string address) =>
        [.. (await Keys.FindAsync(new KeyQuery.ByEmail(address), 0, 10)).Keys.Select(k => k.Fingerprint)];
}
