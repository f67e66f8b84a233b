namespace AiEng.FineTuning;

/// <summary>The kinds of secrets and personal data <see cref="SecretScanner"/> finds.</summary>
public enum SecretKind
{
    /// <summary>An OpenAI API key (<c>sk-...</c>, <c>sk-proj-...</c>).</summary>
    OpenAIApiKey,

    /// <summary>An AWS access key id (<c>AKIA...</c>, <c>ASIA...</c>).</summary>
    AwsAccessKeyId,

    /// <summary>A GitHub token (<c>ghp_</c>, <c>gho_</c>, <c>ghu_</c>, <c>ghs_</c>, <c>ghr_</c>, <c>github_pat_</c>).</summary>
    GitHubToken,

    /// <summary>A JSON web token (three base64url parts, the first two starting with <c>eyJ</c>).</summary>
    JsonWebToken,

    /// <summary>A bearer token in an HTTP authorization value (<c>Bearer ...</c>).</summary>
    BearerToken,

    /// <summary>An e-mail address.</summary>
    EmailAddress,

    /// <summary>A phone number (10 to 15 digits, or 8 or more after a <c>+</c>).</summary>
    PhoneNumber,

    /// <summary>A payment card number: 13 to 19 digits that pass the Luhn check.</summary>
    PaymentCardNumber,
}
