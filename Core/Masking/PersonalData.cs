using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace QaDatabases.Masking;

/// <summary>Kinds of personal data the heuristics recognise.</summary>
public enum PersonalKind
{
    Email,
    Phone,
    Name,
    Address,
    PostalCode,
    BirthDate,
    IpAddress,
    CardNumber,
    Password,
    Secret,
    NationalId,
    Username,
    FreeText,
}

/// <summary>Why a column looks personal: its kind and the reason, written as a YAML comment by <c>init</c>.</summary>
public sealed record PersonalFinding(PersonalKind Kind, string Reason);

/// <summary>
/// Heuristics that find columns likely to hold personal data, for <c>qa-db masking init</c> and for the
/// gate's suggested policy lines: column names in English and in the romanized Japanese common in
/// Japanese schemas (<c>tel</c>, <c>kana</c>, <c>yubin</c>, <c>jusho</c>, <c>seinengappi</c>,
/// <c>mail_address</c>...), and sampled values that look like e-mail addresses, phone numbers, card
/// numbers (Luhn-valid) or IP addresses. Heuristics miss things, which is why the policy is closed
/// world: <c>init</c> only drafts, and every column still needs a person's classification.
/// </summary>
public static partial class PersonalData
{
    /// <summary>A documentation address (RFC 5737 TEST-NET-1), valid for inet and text columns alike.</summary>
    public const string ExampleIp = "192.0.2.1";

    /// <summary>A well-known test card number: Luhn-valid, accepted by payment sandboxes, never a real card.</summary>
    public const string ExampleCard = "4111111111111111";

    /// <summary>A password hash no login matches: nobody signs in to a clone with a production password.</summary>
    public const string UnusablePassword = "masked:reset-required";

    private static readonly HashSet<string> PeopleTables = new(StringComparer.Ordinal)
    {
        "customer", "user", "member", "employee", "person", "people", "staff", "contact", "patient", "student", "guest",
        "client", "applicant", "account", "profile", "author", "recipient", "owner", "driver", "teacher", "subscriber",
        "kaiin", "kokyaku", "shain", "jugyoin", "juugyouin", "riyousha", "riyosha", "kyaku",
    };

    private static readonly (PersonalKind Kind, string What, Func<Tokens, bool> Matches)[] NameRules =
    [
        (PersonalKind.IpAddress, "an IP address", t => t.Any("ip", "ipaddress", "ipaddr", "ipv4", "ipv6", "remoteaddr") || (t.Has("remote") && t.Any("addr", "address"))),
        (PersonalKind.Email, "an e-mail address", t => t.Any("email", "mail", "emailaddress", "mailaddress", "mailaddr", "meado", "meeru", "meru") || t.Joined.Contains("email", StringComparison.Ordinal)),
        (PersonalKind.CardNumber, "a card number", t => t.Any("creditcard", "cardnumber", "cardno", "ccnumber", "pan")
            || (t.Any("card", "cc") && t.Any("number", "no", "num"))),
        (PersonalKind.NationalId, "a national or tax identifier", t => t.Any("ssn", "passport", "mynumber", "kojinbango", "kojinbangou", "nationalid", "taxid", "tin", "license", "licence")
            || (t.Has("tax") && t.Any("id", "number", "no")) || (t.Has("my") && t.Has("number")) || (t.Has("national") && t.Has("id")) || (t.Has("social") && t.Has("security"))),
        (PersonalKind.Password, "a password or its hash", t => t.Any("password", "passwd", "pwd", "pass", "passhash", "passwordhash") || t.Joined.Contains("password", StringComparison.Ordinal)),
        (PersonalKind.Secret, "a secret or token", t => t.Any("secret", "token", "apikey", "otp") || (t.Has("api") && t.Has("key"))),
        (PersonalKind.Phone, "a phone number", t => t.Any("phone", "tel", "telephone", "mobile", "cellphone", "cell", "fax", "denwa", "keitai", "telno", "phoneno", "phonenumber", "telnumber", "denwabango", "denwabangou")
            || t.Joined.Contains("phone", StringComparison.Ordinal)),
        (PersonalKind.PostalCode, "a postal code", t => t.Any("zip", "zipcode", "postal", "postcode", "postalcode", "yubin", "yuubin", "yubinbango", "yuubinbangou", "yubinbangou", "yuubinbango")),
        (PersonalKind.BirthDate, "a date of birth", t => t.Any("birthday", "birthdate", "dob", "birth", "seinengappi", "tanjobi", "tanjoubi", "bday")),
        (PersonalKind.Address, "a postal address", t => t.Any("address", "addr", "street", "jusho", "juusho", "jyusho", "juusyo", "jusyo", "banchi", "address1", "address2", "addressline")),
        (PersonalKind.Name, "a person's name", t => t.Any("firstname", "lastname", "fullname", "surname", "forename", "givenname", "familyname", "middlename", "maidenname",
            "shimei", "simei", "namae", "seimei", "furigana", "kana", "sei", "mei")
            || (t.Has("name") && t.Any("first", "last", "full", "given", "family", "middle", "maiden", "display", "real", "contact", "customer", "recipient", "sender", "billing", "shipping", "holder", "legal"))),
        (PersonalKind.Username, "a login or user name", t => t.Any("username", "login", "loginid", "loginname", "nickname", "handle", "screenname")
            || (t.Has("user") && t.Has("name")) || (t.Has("nick") && t.Has("name"))),
        (PersonalKind.FreeText, "free text that may quote personal data", t => t.Any("note", "notes", "memo", "memos", "comment", "comments", "remark", "remarks", "bikou", "biko", "message", "body")),
    ];

    /// <summary>What the column's name suggests, or null. A bare <c>name</c> counts only in a table of people.</summary>
    public static PersonalFinding? ByName(string table, string column)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(column);
        var tokens = new Tokens(column);
        foreach (var (kind, what, matches) in NameRules)
        {
            if (matches(tokens))
            {
                return new PersonalFinding(kind, $"name suggests {what}");
            }
        }

        if (tokens.Words is ["name"] && new Tokens(table).Words.Any(w => PeopleTables.Contains(w) || PeopleTables.Contains(w.TrimEnd('s'))))
        {
            return new PersonalFinding(PersonalKind.Name, $"name of a row in {table}, a table of people");
        }

        return null;
    }

    /// <summary>What most sampled values look like (e-mail, card number, phone, IP address), or null.</summary>
    public static PersonalFinding? BySamples(IEnumerable<string?> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var values = samples.Select(s => s?.Trim()).Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).ToList();
        if (values.Count == 0)
        {
            return null;
        }

        var best = new[]
        {
            (Kind: PersonalKind.Email, What: "e-mail addresses", Count: values.Count(IsEmail)),
            (Kind: PersonalKind.CardNumber, What: "card numbers (Luhn-valid)", Count: values.Count(IsCardNumber)),
            (Kind: PersonalKind.Phone, What: "phone numbers", Count: values.Count(v => IsPhone(v) && !IsCardNumber(v))),
            (Kind: PersonalKind.IpAddress, What: "IP addresses", Count: values.Count(IsIpAddress)),
        }.MaxBy(c => c.Count);
        return best.Count * 2 > values.Count
            ? new PersonalFinding(best.Kind, $"{best.Count.ToString(CultureInfo.InvariantCulture)} of {values.Count.ToString(CultureInfo.InvariantCulture)} sampled values look like {best.What}")
            : null;
    }

    /// <summary>
    /// The strategy that masks this kind of data in this column, or null when none fits its type (a
    /// boolean <c>email_verified</c> is not an address). Keys never get one: the caller keeps them.
    /// </summary>
    public static MaskingStrategy? StrategyFor(PersonalKind kind, CatalogColumn column)
    {
        ArgumentNullException.ThrowIfNull(column);
        var text = column.Family == TypeFamily.Text;
        bool Holds(string value) => column.MaxLength is null || column.MaxLength >= value.Length;
        return kind switch
        {
            PersonalKind.Email when text => new MaskingStrategy(StrategyKind.Email),
            PersonalKind.Phone when text => new MaskingStrategy(StrategyKind.Phone),
            PersonalKind.Name when text => new MaskingStrategy(StrategyKind.Name),
            PersonalKind.PostalCode when text => new MaskingStrategy(StrategyKind.PostalCode),
            PersonalKind.Address when text => new MaskingStrategy(StrategyKind.Text, "address-"),
            PersonalKind.Username when text => new MaskingStrategy(StrategyKind.Text, "user-"),
            PersonalKind.FreeText when text => new MaskingStrategy(StrategyKind.Text, "note-"),
            PersonalKind.Secret when text => new MaskingStrategy(StrategyKind.Text, "secret-"),
            PersonalKind.NationalId when text => new MaskingStrategy(StrategyKind.Hash),
            PersonalKind.Password when text && !column.Unique && Holds(UnusablePassword) => new MaskingStrategy(StrategyKind.Constant, UnusablePassword),
            PersonalKind.Password when text => new MaskingStrategy(StrategyKind.Hash),
            PersonalKind.CardNumber when text && !column.Unique && Holds(ExampleCard) => new MaskingStrategy(StrategyKind.Constant, ExampleCard),
            PersonalKind.CardNumber when text => new MaskingStrategy(StrategyKind.Hash),
            PersonalKind.IpAddress when (column.Family == TypeFamily.Network || (text && Holds(ExampleIp))) && !column.Unique => new MaskingStrategy(StrategyKind.Constant, ExampleIp),
            PersonalKind.IpAddress when text => new MaskingStrategy(StrategyKind.Text, "ip-"),
            PersonalKind.IpAddress when column.Nullable => new MaskingStrategy(StrategyKind.Null),
            PersonalKind.BirthDate when column.Family is TypeFamily.Date or TypeFamily.Timestamp => new MaskingStrategy(StrategyKind.DateShift, "365"),
            _ => null,
        };
    }

    public static bool IsEmail(string value) => EmailPattern().IsMatch(value);

    public static bool IsCardNumber(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!CardPattern().IsMatch(value))
        {
            return false;
        }

        var digits = value.Where(char.IsAsciiDigit).Select(c => c - '0').ToArray();
        return digits.Length is >= 13 and <= 19 && IsLuhnValid(digits);
    }

    /// <summary>The Luhn check digit test every payment card number passes.</summary>
    public static bool IsLuhnValid(IReadOnlyList<int> digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        var sum = 0;
        for (var i = 0; i < digits.Count; i++)
        {
            var d = digits[digits.Count - 1 - i];
            if (i % 2 == 1)
            {
                d = d * 2 > 9 ? (d * 2) - 9 : d * 2;
            }

            sum += d;
        }

        return sum % 10 == 0;
    }

    public static bool IsPhone(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!PhonePattern().IsMatch(value))
        {
            return false;
        }

        var digits = value.Count(char.IsAsciiDigit);
        return digits is >= 9 and <= 15 && (value[0] is '+' or '0' || value.IndexOfAny([' ', '-', '(', ')', '.']) >= 0);
    }

    public static bool IsIpAddress(string value) =>
        IpV4Pattern().IsMatch(value)
        || (value.Contains(':', StringComparison.Ordinal) && IPAddress.TryParse(value, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6);

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^[0-9][0-9 -]{11,22}[0-9]$")]
    private static partial Regex CardPattern();

    [GeneratedRegex(@"^\+?[0-9 ()./-]{7,22}$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"^(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}$")]
    private static partial Regex IpV4Pattern();

    /// <summary>A column or table name split into lower-case words: <c>phone_mobile</c>, <c>phoneMobile</c> and <c>PhoneMobile</c> alike.</summary>
    private sealed partial class Tokens
    {
        public Tokens(string name)
        {
            Words = WordPattern().Matches(name).Select(m => m.Value.ToLowerInvariant()).ToList();
            Joined = string.Concat(Words);
        }

        public IReadOnlyList<string> Words { get; }

        public string Joined { get; }

        public bool Has(string word) => Words.Contains(word);

        public bool Any(params string[] words) => words.Any(Has) || words.Contains(Joined);

        [GeneratedRegex("[A-Z]?[a-z]+[0-9]*|[A-Z]+(?![a-z])[0-9]*|[0-9]+")]
        private static partial Regex WordPattern();
    }
}
