using QaDatabases.Masking;

namespace QaDatabases.Tests.Masking;

public class SqlExpressionGuardTests
{
    [Theory]
    [InlineData("'{}'")]
    [InlineData("jsonb_set(prefs, '{email}', '\"masked\"')")]
    [InlineData("JSON_SET(prefs, '$.email', 'masked')")]
    [InlineData("CASE WHEN status = 'vip' THEN '{\"tier\": \"vip\"}' ELSE '{}' END")]
    [InlineData("upper(substr(code, 1, 2)) || '-' || id::text")]
    [InlineData("CAST(id AS CHAR)")]
    [InlineData("\"select\" || 'it''s fine; -- inside quotes'")]
    [InlineData("`order` + 1")]
    [InlineData("(ARRAY['a', 'b'])[1 + id % 2]")]
    [InlineData("to_char(created_at, 'YYYY')")]
    public void Value_expressions_of_the_columns_own_row_pass(string expression)
    {
        Assert.Null(SqlExpressionGuard.Problem(expression));
    }

    [Theory]
    [InlineData("'x'; DROP TABLE customers; --", "';' would end the statement")]
    [InlineData("'x' -- the rest of the statement", "'--' starts or ends a comment")]
    [InlineData("'x' /* , email = email */", "'/*' starts or ends a comment")]
    [InlineData("'x' # MySQL comment", "'#' starts or ends a comment")]
    [InlineData("'x'), email = ('y'", "the ')' at character 4 closes nothing the expression opened")]
    [InlineData("lower(email", "'(' is never closed")]
    [InlineData("'unterminated", "the quote ' at character 1 is not closed")]
    [InlineData("'\\'; DROP TABLE t; --'", "a backslash inside quotes")]
    [InlineData("(SELECT password FROM users LIMIT 1)", "the keyword SELECT belongs to a statement or subquery")]
    [InlineData("(TABLE secrets)", "the keyword TABLE")]
    [InlineData("1 UNION ALL SELECT 2", "the keyword UNION")]
    [InlineData("'x' WHERE false", "the keyword WHERE")]
    [InlineData("$1", "'$' marks a parameter or variable")]
    [InlineData("@p0", "'@' marks a parameter or variable")]
    [InlineData("?", "'?' marks a parameter or variable")]
    [InlineData("$$x$$", "'$' marks a parameter or variable")]
    [InlineData(":salt", "':' alone marks a named parameter")]
    [InlineData("{fn user()}", "'{' outside quotes")]
    public void An_expression_that_could_escape_its_column_is_refused_with_the_reason(string expression, string reason)
    {
        var problem = SqlExpressionGuard.Problem(expression);

        Assert.NotNull(problem);
        Assert.StartsWith("the expression could escape its column: ", problem, StringComparison.Ordinal);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }
}
