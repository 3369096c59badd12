using System.Globalization;
using System.Text;
using Moderation.Contracts;

namespace Moderation.Cli.Decisions;

/// <summary>Counts of what the pipeline did with rows of one (source, category).</summary>
internal sealed class DecisionTally
{
    public int Rows;
    public int Pass;
    public int Quarantine;
    public int Block;

    /// <summary>Acted on (quarantined or blocked) with the row's own category among the decision's categories.</summary>
    public int RightCategory;

    public int Acted => Quarantine + Block;

    public void Add(int category, string action, IReadOnlyList<int> categories)
    {
        Rows++;
        switch (action)
        {
            case ModerationActions.Block: Block++; break;
            case ModerationActions.Quarantine: Quarantine++; break;
            default: Pass++; break;
        }

        if (action != ModerationActions.Pass && categories.Contains(category))
        {
            RightCategory++;
        }
    }

    public static string Header => "source                        cat    rows     pass  quarantined    blocked   acted on  right category";

    public string Line(string source, int category)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{Shorten(source),-28}  {category,3}  {Rows,6}  {Pct(Pass),7}  {Pct(Quarantine),11}  {Pct(Block),9}  {Pct(Acted),9}");
        sb.Append(category == 0 ? "               -" : $"  {Pct(RightCategory),14}");
        return sb.ToString();
    }

    private string Pct(int n) => Rows == 0 ? "n/a" : (100.0 * n / Rows).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Shorten(string s) => s.Length <= 28 ? s : s[..27] + "…";
}
