using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace QaDatabases.Access;

/// <summary>Allow or Deny.</summary>
public enum PolicyEffect
{
    Allow,
    Deny,
}

/// <summary>One condition of a statement: <c>"Operator": { "Key": [values] }</c>. Equal when the values are.</summary>
public sealed record PolicyCondition(string Operator, string Key, IReadOnlyList<string> Values)
{
    public bool Equals(PolicyCondition? other) =>
        other is not null && Operator == other.Operator && Key == other.Key && Values.SequenceEqual(other.Values);

    public override int GetHashCode() => HashCode.Combine(Operator, Key, Values.Count);
}

/// <summary>
/// One IAM policy statement. Exactly one of <see cref="Actions"/> and <see cref="NotActions"/> is
/// non-empty. <see cref="FederatedPrincipal"/> is set only in a role's trust policy, which has no
/// <see cref="Resources"/>.
/// </summary>
public sealed record PolicyStatement
{
    public required string Sid { get; init; }

    public required PolicyEffect Effect { get; init; }

    public IReadOnlyList<string> Actions { get; init; } = [];

    public IReadOnlyList<string> NotActions { get; init; } = [];

    public IReadOnlyList<string> Resources { get; init; } = [];

    public IReadOnlyList<PolicyCondition> Conditions { get; init; } = [];

    public string? FederatedPrincipal { get; init; }

    /// <summary>The condition on <paramref name="key"/>, or null.</summary>
    public PolicyCondition? ConditionOn(string key) => Conditions.SingleOrDefault(c => c.Key == key);
}

/// <summary>An IAM policy document, written as JSON by one serializer.</summary>
public sealed record PolicyDocument(IReadOnlyList<PolicyStatement> Statements)
{
    public const string Version = "2012-10-17";

    /// <summary>
    /// IAM's limit on a role's inline policies, counted without whitespace. The access program
    /// attaches the permissions as one inline policy.
    /// </summary>
    public const int InlinePolicyLimit = 10_240;

    /// <summary>The statement with this Sid (they are unique).</summary>
    public PolicyStatement this[string sid] => Statements.Single(s => s.Sid == sid);

    public string ToJson(bool indented = true)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions
        {
            Indented = indented,

            // The document is read by IAM and people, never embedded in HTML: keep '+', '<' and
            // quotes' neighbours readable instead of \u-escaped.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            writer.WriteStartObject();
            writer.WriteString("Version", Version);
            writer.WriteStartArray("Statement");
            foreach (var statement in Statements)
            {
                Write(writer, statement);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, PolicyStatement statement)
    {
        if (statement.Actions.Count > 0 == statement.NotActions.Count > 0)
        {
            throw new InvalidOperationException($"statement {statement.Sid} needs exactly one of Action and NotAction");
        }

        writer.WriteStartObject();
        writer.WriteString("Sid", statement.Sid);
        writer.WriteString("Effect", statement.Effect.ToString());
        if (statement.FederatedPrincipal is { } federated)
        {
            writer.WriteStartObject("Principal");
            writer.WriteString("Federated", federated);
            writer.WriteEndObject();
        }

        WriteList(writer, statement.Actions.Count > 0 ? "Action" : "NotAction", statement.Actions.Count > 0 ? statement.Actions : statement.NotActions);
        if (statement.Resources.Count > 0)
        {
            WriteList(writer, "Resource", statement.Resources);
        }

        if (statement.Conditions.Count > 0)
        {
            writer.WriteStartObject("Condition");
            foreach (var byOperator in statement.Conditions.GroupBy(c => c.Operator))
            {
                writer.WriteStartObject(byOperator.Key);
                foreach (var condition in byOperator)
                {
                    WriteList(writer, condition.Key, condition.Values);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteList(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
