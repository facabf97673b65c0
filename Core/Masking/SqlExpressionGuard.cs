using System.Text;

namespace QaDatabases.Masking;

/// <summary>
/// Keeps an <c>sql:</c> expression in the one place it is spliced: the value of its own column in
/// <c>SET column = CASE WHEN column IS NULL THEN NULL ELSE (expression) END</c>. The expression is
/// wrapped in parentheses, and this guard refuses anything that could leave them or reach past the
/// column: statement ends (<c>;</c>), comments (<c>--</c>, <c>/*</c>, <c>#</c>), unbalanced
/// parentheses, brackets or quotes, backslashes (PostgreSQL and MySQL read them differently inside
/// strings, so the two engines could disagree on where a string ends), parameter and variable markers
/// (<c>$</c>, <c>@</c>, <c>?</c>, <c>:name</c>: the salt travels as a statement parameter and must not
/// be readable), ODBC escapes (<c>{</c>), and keywords that belong to statements or subqueries rather
/// than to a value (<c>SELECT</c>, <c>UPDATE</c>, <c>WHERE</c>, <c>UNION</c>, ...). Quoted strings and
/// quoted identifiers are skipped, so <c>'{"a": 1}'</c> or a column named <c>"select"</c> are fine.
/// It is a confinement check, not a sandbox: a function call can do what the database lets it, so a
/// policy is reviewed like any masking script.
/// </summary>
public static class SqlExpressionGuard
{
    private static readonly HashSet<string> ForbiddenWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "select", "values", "table", "insert", "update", "delete", "merge", "upsert", "drop", "alter", "create", "truncate",
        "grant", "revoke", "commit", "rollback", "savepoint", "begin", "copy", "call", "execute", "exec", "prepare",
        "deallocate", "union", "intersect", "except", "into", "where", "returning", "limit", "offset", "having", "join",
        "set", "load", "lock", "unlock", "handler", "outfile", "dumpfile", "vacuum", "analyze", "listen", "notify",
        "declare", "discard", "reset", "show", "use", "kill", "shutdown",
    };

    /// <summary>What is allowed, for the error message.</summary>
    public const string Allowed =
        "one value expression of the column's own row (functions, operators, CASE, casts, literals in quotes, columns of the same row)";

    /// <summary>Why <paramref name="expression"/> could escape its column, or null when it cannot.</summary>
    public static string? Problem(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var depth = new Stack<char>();
        var word = new StringBuilder();
        for (var i = 0; i < expression.Length; i++)
        {
            var c = expression[i];
            var next = i + 1 < expression.Length ? expression[i + 1] : '\0';
            if (char.IsLetterOrDigit(c) || c == '_')
            {
                word.Append(c);
                continue;
            }

            if (CheckWord(word) is { } wordProblem)
            {
                return wordProblem;
            }

            switch (c)
            {
                case '\'' or '"' or '`':
                    {
                        var end = QuotedEnd(expression, i, c);
                        if (end < 0)
                        {
                            return Reject($"the quote {c} at character {i + 1} is not closed");
                        }

                        if (expression.AsSpan(i, end - i + 1).Contains('\\'))
                        {
                            return Reject($"a backslash inside quotes (from character {i + 1}): PostgreSQL and MySQL read it differently, so they could disagree where the string ends");
                        }

                        i = end;
                        break;
                    }

                case ';':
                    return Reject("';' would end the statement");
                case '-' when next == '-':
                case '/' when next == '*':
                case '*' when next == '/':
                case '#':
                    return Reject($"'{c}{(c == '#' ? "" : next.ToString())}' starts or ends a comment");
                case '\\':
                    return Reject("a backslash outside quotes");
                case '$' or '@' or '?':
                    return Reject($"'{c}' marks a parameter or variable (the salt is a parameter of the same statement)");
                case ':' when next == ':':
                    i++;
                    break;
                case ':':
                    return Reject("':' alone marks a named parameter (a cast is '::')");
                case '{' or '}':
                    return Reject($"'{c}' outside quotes (an ODBC escape)");
                case '(' or '[':
                    depth.Push(c);
                    break;
                case ')' or ']':
                    if (depth.Count == 0 || depth.Pop() != (c == ')' ? '(' : '['))
                    {
                        return Reject($"the '{c}' at character {i + 1} closes nothing the expression opened");
                    }

                    break;
            }
        }

        if (CheckWord(word) is { } last)
        {
            return last;
        }

        return depth.Count > 0 ? Reject($"'{depth.Peek()}' is never closed") : null;
    }

    private static string? CheckWord(StringBuilder word)
    {
        var text = word.ToString();
        word.Clear();
        return ForbiddenWords.Contains(text)
            ? Reject($"the keyword {text.ToUpperInvariant()} belongs to a statement or subquery, not to a column's value (quote an identifier of that name)")
            : null;
    }

    /// <summary>The index of the quote that closes the one at <paramref name="start"/> (a doubled quote is part of the text), or -1.</summary>
    private static int QuotedEnd(string text, int start, char quote)
    {
        for (var i = start + 1; i < text.Length; i++)
        {
            if (text[i] != quote)
            {
                continue;
            }

            if (i + 1 < text.Length && text[i + 1] == quote)
            {
                i++;
                continue;
            }

            return i;
        }

        return -1;
    }

    private static string Reject(string why) => $"the expression could escape its column: {why}; allowed: {Allowed}";
}
