using Microsoft.Extensions.Options;

namespace Keyserver.Web.Verification;

/// <summary>Turns an options class's own <c>Problem()</c> message into a start-up validation failure naming the key.</summary>
internal sealed class ProblemValidator<T>(Func<T, string?> problem) : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? name, T options) =>
        problem(options) is { } message ? ValidateOptionsResult.Fail(message) : ValidateOptionsResult.Success;
}
