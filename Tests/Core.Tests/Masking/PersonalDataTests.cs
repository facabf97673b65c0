using QaDatabases.Masking;
using static QaDatabases.Tests.Masking.CatalogBuilder;

namespace QaDatabases.Tests.Masking;

public class PersonalDataTests
{
    [Theory]
    [InlineData("email", PersonalKind.Email)]
    [InlineData("mail_address", PersonalKind.Email)]
    [InlineData("mailAddress", PersonalKind.Email)]
    [InlineData("phone_mobile", PersonalKind.Phone)]
    [InlineData("tel", PersonalKind.Phone)]
    [InlineData("tel_no", PersonalKind.Phone)]
    [InlineData("keitai_denwa", PersonalKind.Phone)]
    [InlineData("first_name", PersonalKind.Name)]
    [InlineData("LastName", PersonalKind.Name)]
    [InlineData("kana", PersonalKind.Name)]
    [InlineData("sei_kana", PersonalKind.Name)]
    [InlineData("shimei", PersonalKind.Name)]
    [InlineData("zip", PersonalKind.PostalCode)]
    [InlineData("zip_code", PersonalKind.PostalCode)]
    [InlineData("yubin_bango", PersonalKind.PostalCode)]
    [InlineData("postal_code", PersonalKind.PostalCode)]
    [InlineData("jusho", PersonalKind.Address)]
    [InlineData("street_address", PersonalKind.Address)]
    [InlineData("birthday", PersonalKind.BirthDate)]
    [InlineData("date_of_birth", PersonalKind.BirthDate)]
    [InlineData("seinengappi", PersonalKind.BirthDate)]
    [InlineData("last_login_ip", PersonalKind.IpAddress)]
    [InlineData("IPAddress", PersonalKind.IpAddress)]
    [InlineData("card_number", PersonalKind.CardNumber)]
    [InlineData("tax_id", PersonalKind.NationalId)]
    [InlineData("my_number", PersonalKind.NationalId)]
    [InlineData("password_hash", PersonalKind.Password)]
    [InlineData("api_key", PersonalKind.Secret)]
    [InlineData("login", PersonalKind.Username)]
    [InlineData("bikou", PersonalKind.FreeText)]
    [InlineData("gift_message", PersonalKind.FreeText)]
    public void Column_names_in_english_and_romanized_japanese_suggest_their_kind(string column, PersonalKind kind)
    {
        Assert.Equal(kind, PersonalData.ByName("things", column)?.Kind);
    }

    [Theory]
    [InlineData("products", "name")]
    [InlineData("orders", "total")]
    [InlineData("orders", "status")]
    [InlineData("hotels", "hotel_name")]
    [InlineData("addresses", "city")]
    [InlineData("orders", "shipped_at")]
    public void Ordinary_business_columns_are_not_personal(string table, string column)
    {
        Assert.Null(PersonalData.ByName(table, column));
    }

    [Fact]
    public void A_bare_name_column_is_personal_only_in_a_table_of_people()
    {
        Assert.Equal(PersonalKind.Name, PersonalData.ByName("customers", "name")?.Kind);
        Assert.Equal(PersonalKind.Name, PersonalData.ByName("kaiin", "name")?.Kind);
        Assert.Null(PersonalData.ByName("products", "name"));
    }

    [Theory]
    [InlineData(PersonalKind.Email, "e-mail addresses", "ada@example.com", "grace@example.org", "alan@example.co.jp")]
    [InlineData(PersonalKind.CardNumber, "card numbers (Luhn-valid)", "4111111111111111", "5555 5555 5555 4444", "3782-822463-10005")]
    [InlineData(PersonalKind.Phone, "phone numbers", "090-1234-5678", "+81 3-1234-5678", "(020) 7946 0018")]
    [InlineData(PersonalKind.IpAddress, "IP addresses", "203.0.113.7", "10.0.0.1", "2001:db8::1")]
    public void Sampled_values_reveal_personal_data_under_any_name(PersonalKind kind, string what, params string[] values)
    {
        var finding = PersonalData.BySamples([.. values, null, ""]);

        Assert.Equal(kind, finding?.Kind);
        Assert.Equal($"3 of 3 sampled values look like {what}", finding?.Reason);
    }

    [Fact]
    public void A_minority_of_personal_looking_values_or_card_like_numbers_failing_luhn_are_not_enough()
    {
        Assert.Null(PersonalData.BySamples(["ada@example.com", "pending", "shipped", "returned"]));
        Assert.Null(PersonalData.BySamples(["4111111111111112", "1234567890123456"]));
        Assert.Null(PersonalData.BySamples(["100234", "200456", "ORD-2025-0001"]));
    }

    [Theory]
    [InlineData(new[] { 4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 }, true)]
    [InlineData(new[] { 7, 9, 9, 2, 7, 3, 9, 8, 7, 1, 3 }, true)]
    [InlineData(new[] { 7, 9, 9, 2, 7, 3, 9, 8, 7, 1, 4 }, false)]
    public void Luhn_accepts_valid_check_digits_only(int[] digits, bool valid)
    {
        Assert.Equal(valid, PersonalData.IsLuhnValid(digits));
    }

    [Fact]
    public void The_suggested_strategy_fits_the_columns_type_or_there_is_none()
    {
        Assert.Equal("email", PersonalData.StrategyFor(PersonalKind.Email, Text("email"))?.Rule);
        Assert.Null(PersonalData.StrategyFor(PersonalKind.Email, Column("email_verified", TypeFamily.Boolean, "boolean")));
        Assert.Equal("date-shift: 365", PersonalData.StrategyFor(PersonalKind.BirthDate, Column("birthday", TypeFamily.Date, "date"))?.Rule);
        Assert.Equal("constant: 192.0.2.1", PersonalData.StrategyFor(PersonalKind.IpAddress, Column("ip", TypeFamily.Network, "inet"))?.Rule);
        Assert.Equal("constant: masked:reset-required", PersonalData.StrategyFor(PersonalKind.Password, Text("password_hash"))?.Rule);
        Assert.Equal("hash", PersonalData.StrategyFor(PersonalKind.CardNumber, Text("pan", 19, unique: true))?.Rule);
    }
}
