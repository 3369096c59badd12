using Moderation.Banks;

namespace Moderation.Banks.Tests;

public sealed class BankIndexTests
{
    [Fact]
    public void An_entry_matches_its_variants_until_it_is_removed()
    {
        var index = BankIndex.Build([Texts.Entry(0), Texts.Entry(1)]);
        var post = Texts.Variant(Texts.Pool[0]);

        var match = Assert.Single(index.Match(post));
        Assert.Equal(new BankEntryKey("bank-0", 0), match.Entry.Key);
        Assert.InRange(match.Similarity, 0.5, 1.0);

        var removed = index.Remove(match.Entry.Key);
        Assert.Empty(removed.Match(post));
        Assert.Single(index.Match(post)); // the old snapshot is unchanged: a match in flight keeps its index
        Assert.Equal(1, removed.Count);
    }

    [Fact]
    public void An_entry_added_to_a_built_index_matches_at_once_and_an_upsert_replaces_it()
    {
        var index = BankIndex.Build(Enumerable.Range(0, 6).Select(i => Texts.Entry(i)));
        var post = Texts.Variant(Texts.Pool[7]);
        Assert.Empty(index.Match(post));

        var added = index.Add(Texts.Entry(7));
        Assert.Equal(7, added.Count);
        Assert.Equal("bank-7", Assert.Single(added.Match(post)).Entry.BankId);

        var replaced = added.Add(Texts.Entry(7, text: Texts.Pool[8]));
        Assert.Equal(7, replaced.Count);
        Assert.Empty(replaced.Match(post));
        Assert.Single(replaced.Match(Texts.Pool[8]));
    }

    [Fact]
    public void The_reported_similarity_is_the_exact_jaccard_and_the_entry_threshold_decides()
    {
        var post = Texts.Pool[0][..30] + "，另外补充几句完全无关的话来降低相似度，比如今天午饭吃了什么。";
        var exact = BankText.Similarity(post, Texts.Pool[0]);
        Assert.InRange(exact, 0.2, 0.8);
        var options = new BankIndexOptions { MinThreshold = 0.1 };

        var at = BankIndex.Build([Texts.Entry(0, threshold: exact)], options);
        Assert.Equal(exact, Assert.Single(at.Match(post)).Similarity);

        var above = BankIndex.Build([Texts.Entry(0, threshold: Math.Min(1, exact + 0.01))], options);
        Assert.Empty(above.Match(post));
    }

    [Fact]
    public void Thresholds_outside_the_supported_range_and_too_short_texts_are_refused_with_the_entry_named()
    {
        var low = Texts.Entry(0, threshold: 0.2);
        Assert.Contains("threshold", BankIndex.Problem(low), StringComparison.Ordinal);
        var ex = Assert.Throws<ArgumentException>(() => BankIndex.Build([Texts.Entry(1), low]));
        Assert.Contains("bank-0#0", ex.Message, StringComparison.Ordinal);

        var shortEntry = Texts.Entry(2, text: "加我微信领红包");
        Assert.Contains("too short", BankIndex.Problem(shortEntry), StringComparison.Ordinal);
        var index = BankIndex.Build([Texts.Entry(1)]);
        Assert.Throws<ArgumentException>(() => index.Add(shortEntry));
        Assert.Null(index.ProblemWith(Texts.Entry(3)));
        Assert.Contains("category", BankIndex.Problem(Texts.Entry(0) with { Category = 0 }), StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_post_matches_nothing_even_when_it_is_part_of_an_entry()
    {
        var index = BankIndex.Build(Enumerable.Range(0, Texts.Pool.Length).Select(i => Texts.Entry(i, threshold: 0.4)));
        foreach (var shortPost in new[] { "好的", "谢谢", "紧急扩散！", "全面封城", "加微信", "12345678901", "🔥🔥🔥" })
        {
            Assert.Empty(index.Match(shortPost));
        }
    }

    [Fact]
    public void A_new_phone_number_or_price_leaves_the_similarity_at_one()
    {
        const string text = "高价回收各类银行卡，联系电话13812345678，每张给你300元，当天结算不拖欠，长期收。";
        const string changed = "高价回收各类银行卡，联系电话 139-8765-4321，每张给你 450 元，当天结算不拖欠，长期收。";
        Assert.Equal(1.0, BankText.Similarity(text, changed));
        var index = BankIndex.Build([Texts.Entry(0, text: text)]);
        Assert.Equal(1.0, Assert.Single(index.Match(changed)).Similarity);
    }

    [Fact]
    public void Traditional_full_width_and_spaced_copies_fold_to_the_same_text()
    {
        const string simplified = "转发这条锦鲤，接下来七天好运不断，不转的人会倒霉一整年。";
        const string disguised = "轉 發 這 條 錦 鯉 ， 接下來七天好運不斷，不轉的人會倒黴一整年！！ＯＫ";
        Assert.Equal(BankText.Fold(simplified) + "ok", BankText.Fold(disguised));
    }

    [Fact]
    public void The_best_entry_per_bank_is_reported_once_and_every_matching_bank_is_reported()
    {
        var post = Texts.Variant(Texts.Pool[2]);
        var index = BankIndex.Build(
        [
            Texts.Entry(2, bank: "spam"),
            new BankEntry("spam", "spam", 99, 7, null, BankAction.Quarantine, 0.4, Texts.Pool[2] + "再多加一句话。"),
            new BankEntry("scam", "scam", 5, 9, null, BankAction.Block, 0.4, Texts.Pool[2]),
        ]);

        var matches = index.Match(post);
        Assert.Equal(2, matches.Count);
        Assert.Equal(["scam", "spam"], matches.Select(m => m.Entry.BankId).Order(StringComparer.Ordinal));
        var spam = matches.Single(m => m.Entry.BankId == "spam");
        Assert.Equal(2, spam.Entry.EntryId); // the closer of the two spam entries
        Assert.True(matches[0].Similarity >= matches[1].Similarity);
    }

    [Fact]
    public void A_long_known_text_pasted_into_a_much_longer_post_is_found_through_the_windows()
    {
        // Windows are 200 folded characters: a known text that fills at least its threshold of one is found.
        var known = Texts.Pool[5] + Texts.Pool[7] + Texts.Pool[9];
        var random = new Random(1);
        var filler = new string([.. Enumerable.Range(0, 600).Select(_ => (char)random.Next(0x4E00, 0x9FA5))]) + "。";
        var post = filler + known + filler;
        var index = BankIndex.Build([Texts.Entry(5, text: known)]);

        Assert.True(BankText.Similarity(post, known) < 0.2);
        var match = Assert.Single(index.Match(post));
        Assert.True(match.Similarity >= 0.5);
        Assert.Equal(filler.Length, match.Start);
        Assert.Equal(filler.Length + known.Length - 1, match.End); // the final '。' is not text
    }

    [Fact]
    public void Removing_an_absent_key_or_upserting_an_identical_entry_changes_nothing()
    {
        var index = BankIndex.Build([Texts.Entry(0), Texts.Entry(1)]);
        Assert.Same(index, index.Remove(new BankEntryKey("nope", 1)));
        Assert.Same(index, index.Add(Texts.Entry(1)));
    }
}
