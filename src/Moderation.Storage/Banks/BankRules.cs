using System.Globalization;
using System.Text.RegularExpressions;

namespace Moderation.Storage.Banks;

/// <summary>The values and checks both providers apply to banks and entries, kept in one place.</summary>
public static partial class BankRules
{
    public const string Quarantine = "quarantine";
    public const string Block = "block";

    public const string OriginConfirm = "confirm";
    public const string OriginImport = "import";
    public const string OriginManual = "manual";

    public const string Active = "active";
    public const string Disabled = "disabled";
    public const string Removed = "removed";

    /// <summary>Longest text an entry may hold (a long known text is matched in windows of a post; see docs/banks.md).</summary>
    public const int MaxTextChars = 5000;

    public const int MaxSourceChars = 500;
    public const int MaxNoteChars = 2000;

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    /// <summary>Why a new bank cannot be created, or null.</summary>
    public static string? Problem(NewBank bank)
    {
        ArgumentNullException.ThrowIfNull(bank);
        if (!NamePattern().IsMatch(bank.Name ?? ""))
            return "name must be 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit";
        if (bank.Category is < 1 or > 9)
            return "category must be 1-9";
        if (bank.Action is not (Quarantine or Block))
            return "action must be quarantine or block";
        if (!(bank.Threshold > 0 && bank.Threshold <= 1))
            return "threshold must be in (0, 1]";
        if (bank.SubLabel is { Length: > 64 })
            return "subLabel is longer than 64 characters";
        if (bank.Description is { Length: > MaxNoteChars })
            return string.Create(CultureInfo.InvariantCulture, $"description is longer than {MaxNoteChars} characters");
        return null;
    }

    /// <summary>Why an entry's text, source or note cannot be stored (length limits; the matcher's own checks come on top), or null.</summary>
    public static string? Problem(NewBankEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (string.IsNullOrWhiteSpace(entry.Text))
            return "text is empty";
        if (entry.Text.Length > MaxTextChars)
            return string.Create(CultureInfo.InvariantCulture, $"text is longer than {MaxTextChars} characters");
        if (entry.Source is { Length: > MaxSourceChars })
            return string.Create(CultureInfo.InvariantCulture, $"source is longer than {MaxSourceChars} characters");
        if (entry.Note is { Length: > MaxNoteChars })
            return string.Create(CultureInfo.InvariantCulture, $"note is longer than {MaxNoteChars} characters");
        return null;
    }
}

/// <summary>Audit action names of bank changes (stable strings, like <see cref="Review.AuditActions"/>).</summary>
public static class BankAuditActions
{
    public const string Create = "bank.create";
    public const string Enable = "bank.enable";
    public const string Disable = "bank.disable";
    public const string AddEntries = "bank.entries.add";
    public const string DisableEntry = "bank.entry.disable";
    public const string RemoveEntries = "bank.entries.remove";
}
