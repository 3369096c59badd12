using Moderation.Banks;

namespace Moderation.Banks.Tests;

public sealed class VersionTests
{
    private static BankEntry[] Some => [.. Enumerable.Range(0, 5).Select(i => Texts.Entry(i))];

    [Fact]
    public void Equal_contents_give_equal_versions_however_they_were_reached()
    {
        var built = BankIndex.Build(Some);
        var reversed = BankIndex.Build(Some.Reverse());
        var incremental = Some.Aggregate(BankIndex.Empty(), (index, e) => index.Add(e));
        var roundTrip = built.Add(Texts.Entry(9)).Remove(new BankEntryKey("bank-9", 9));

        Assert.Equal(built.Version, reversed.Version);
        Assert.Equal(built.Version, incremental.Version);
        Assert.Equal(built.Version, roundTrip.Version);
        Assert.Equal(built.Version, incremental.Compact().Version);
    }

    [Fact]
    public void Any_change_of_contents_or_parameters_changes_the_version()
    {
        var built = BankIndex.Build(Some);
        var versions = new[]
        {
            built.Version,
            BankIndex.Empty().Version,
            built.Add(Texts.Entry(9)).Version,
            built.Remove(new BankEntryKey("bank-2", 2)).Version,
            built.Add(Texts.Entry(2, threshold: 0.6)).Version,
            built.Add(Texts.Entry(2, action: BankAction.Block)).Version,
            built.Add(Texts.Entry(2) with { SubLabel = "other" }).Version,
            built.Add(Texts.Entry(2) with { Category = 9 }).Version,
            built.Add(Texts.Entry(2) with { Text = Texts.Pool[2] + "！" }).Version,
            BankIndex.Build(Some, new BankIndexOptions { Bands = 21 }).Version,
            BankIndex.Build(Some, new BankIndexOptions { ShingleLength = 2 }).Version,
        };

        Assert.Equal(versions.Length, versions.Distinct(StringComparer.Ordinal).Count());
    }
}
