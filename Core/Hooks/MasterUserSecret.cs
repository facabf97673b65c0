using System.Text.Json;

namespace QaDatabases.Hooks;

/// <summary>
/// Reads the secret RDS keeps in Secrets Manager when <c>ManageMasterUserPassword</c> is on: a JSON
/// object with <c>username</c> and <c>password</c>. The clone gets its own such secret, so it never
/// shares production's master password.
/// </summary>
public static class MasterUserSecret
{
    public static string ReadPassword(string secretString)
    {
        using var document = JsonDocument.Parse(secretString);
        return document.RootElement.TryGetProperty("password", out var password) && password.ValueKind == JsonValueKind.String
            ? password.GetString()!
            : throw new InvalidOperationException("The clone's master user secret has no \"password\" string.");
    }
}
