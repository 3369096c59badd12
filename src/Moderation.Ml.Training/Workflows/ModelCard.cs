using System.Globalization;
using System.Text;
using Moderation.Ml.Data;
using Moderation.Ml.Evaluation;
using Moderation.Ml.Serving;
using Moderation.Ml.Training;

namespace Moderation.Ml.Workflows;

/// <summary>Writes models/classifier/model-card.md from what training actually measured.</summary>
public static class ModelCard
{
    public const string FileName = "model-card.md";

    private static readonly string[] Names =
    [
        "clean",
        "opposes constitutional principles",
        "state security / subversion / separatism",
        "harms national honour and interests",
        "ethnic hatred or discrimination",
        "religious policy; cults, superstition",
        "rumours disturbing social order",
        "obscenity, gambling, violence, terror, incitement",
        "insult or defamation",
        "other prohibited (drugs, weapons, fraud, …)",
    ];

    public static void Write(string directory, LoadedModel model, Dataset data, EvaluationReport report, BenchmarkResult bench, double trainSeconds, string reproduceCommand, IReadOnlyList<CoverageLine>? coverage = null)
    {
        var inv = CultureInfo.InvariantCulture;
        var m = model.Manifest;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"# Model card: content classifier `{m.Version}`");
        sb.AppendLine();
        sb.AppendLine("Linear models (ML.NET SDCA, logistic loss, one thread) over hashed character 1–" + m.Featurizer.MaxNgram.ToString(inv) +
                      "-grams and latin words (2^" + m.Featurizer.HashBits.ToString(inv) + " features)" +
                      (m.Featurizer.DetectorFeatures ? ", plus the solicitation detector's findings as features (lure families and their levels, contact channels, counter-context; weight " + m.Featurizer.DetectorFeatureWeight.ToString("0.##", inv) + ", rules `" + m.DetectorRulesVersion + "`, see docs/detection.md)" : "") +
                      ". One head decides *prohibited vs clean* on all data. For categories learnt from insult and hate data (" +
                      string.Join(", ", m.Heads.Skip(1).Where(h => !h.Independent).Select(h => h.Name)) + ") one head decides *this category vs the other prohibited ones* and P(category) = P(prohibited) × P(category | prohibited); " +
                      "for the solicitation and rumour categories (" + string.Join(", ", m.Heads.Where(h => h.Independent).Select(h => h.Name)) + ") one head decides *this category vs everything else, clean included*. " +
                      "Each head is Platt-calibrated on the dev split: an independent probability per category (a post can score high on several). Written by `moderation train`; every figure below was measured by that run.");
        sb.AppendLine();

        sb.AppendLine("## COLD test split (binary offensive vs safe)");
        sb.AppendLine();
        if (report.ColdTest is { } c)
        {
            sb.AppendLine("| detector | accuracy | macro-F1 | anti-bias accuracy |");
            sb.AppendLine("|---|---|---|---|");
            sb.AppendLine(inv, $"| this model (offensive = P(prohibited) ≥ {c.Threshold:0.00}, threshold chosen on COLD dev) | **{c.Accuracy:0.000}** | **{c.MacroF1:0.000}** | **{c.AntiBiasAccuracy:0.000}** ({c.AntiBiasRows} rows) |");
            sb.AppendLine("| COLD paper, fine-tuned BERT detector (Deng et al., EMNLP 2022) | 0.81 | — | — |");
            sb.AppendLine("| target for this project | ≥ 0.84 | ≥ 0.83 | ≥ 0.60 |");
            sb.AppendLine();
            sb.AppendLine(inv, $"`{c.Line}` ({c.Rows} test rows). ");
            var met = c.Accuracy >= 0.84 && c.MacroF1 >= 0.83 && c.AntiBiasAccuracy >= 0.60;
            sb.AppendLine(met ? "All three targets are met." : "**The targets are not all met** (see the numbers above): this is a plain linear model on character n-grams, far cheaper than BERT but below it on COLD. Anti-bias rows (safe texts that mention a group, often *criticising* discrimination) are where it fails most: it keys on group words and hostile vocabulary.");
        }
        else
        {
            sb.AppendLine("COLD test rows were not available in this run.");
        }

        sb.AppendLine();
        sb.AppendLine("## Per category");
        sb.AppendLine();
        sb.AppendLine(inv, $"Thresholds chosen on dev: review at dev precision ≥ {m.TargetReviewPrecision:0.00}, block at ≥ {m.TargetBlockPrecision:0.00} ({ThresholdChooser.NeverText} = the model never acts alone). Test figures are at the review threshold. Also in `thresholds.json` in the shape of `Moderation:Policy:Categories`.");
        sb.AppendLine();
        sb.AppendLine("| cat | meaning | data: source rows (train / dev / test) | review thr. | block thr. | dev precision at review | test precision | test recall | test F1 | test AP |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        for (var cat = 0; cat <= 9; cat++)
        {
            var sources = string.Join(", ", data.Sources.Where(s => s.PerCategory.ContainsKey(cat)).Select(s => $"{s.Source} {s.PerCategory[cat]}"));
            var counts = $"{data.Train.Count(r => r.Category == cat)} / {data.Dev.Count(r => r.Category == cat)} / {data.Test.Count(r => r.Category == cat)}";
            var head = report.Categories.FirstOrDefault(x => x.Category == cat);
            var thr = m.Thresholds.TryGetValue(cat.ToString(inv), out var t) ? t : null;
            var dataText = sources.Length == 0 ? "**none**" : $"{sources} ({counts})";
            if (head is null)
            {
                sb.AppendLine(inv, $"| {cat} | {Names[cat]} | {dataText} | {(cat == 0 ? "negative class" : "no model head")} | | | | | | |");
            }
            else
            {
                sb.AppendLine(inv, $"| {cat} | {Names[cat]} | {dataText} | {thr?.ModelReviewThreshold:0.000} | {thr?.ModelBlockThreshold:0.000} | {thr?.DevPrecisionAtReview:0.000} | {head.Precision:0.000} | {head.Recall:0.000} | {head.F1:0.000} | {head.AveragePrecision:0.000} |");
            }
        }

        sb.AppendLine();
        sb.AppendLine("Precision on test falls short of the dev precision the thresholds were chosen for: COLD's test split is harder than its dev split " +
                      "(it holds the anti-bias rows, safe posts about groups), so treat the review thresholds as a starting point and watch moderators' confirm rates. " +
                      "For 6, 7 and 9 the dev and test positives are the project's own examples (counts in the table): a few dozen rows certify no precision on real traffic, " +
                      "which is why the worker's policy lets the model quarantine on 7 and 9 but never block, and never act alone on 6.");
        var none = Enumerable.Range(1, 9).Where(cat => !m.Categories.Contains(cat)).ToList();
        sb.AppendLine();
        sb.AppendLine($"**Categories with no model head: {string.Join(", ", none)}.** No public labelled posts exist for 1, 2, 3, 5 (and 6, 7, 9) in the reference data. " +
            "The heads for 6, 7 and 9 learn from examples the project wrote itself (`models/classifier/examples/`, a few hundred rows: gambling and porn solicitation, " +
            "fraud, black-market, loan, drug and weapon offers, telecom-fraud scripts, rumours, and clean look-alikes such as warnings, news and one-star reviews) " +
            "plus 60% of clean_zh as everyday negatives. They are narrow: violence and terror (also category 7) are not covered. Cover the rest with operator lexicons, " +
            "the solicitation detector's pattern lists, and moderator decisions fed back into `train`.");
        if (coverage is { Count: > 0 })
        {
            sb.AppendLine();
            sb.AppendLine("### Coverage on data the model never saw");
            sb.AppendLine();
            sb.AppendLine("The model alone, at its own review thresholds above (a threshold of 1.01 never acts). The project's test set was written separately from the training examples, " +
                "before any pattern or example for 6, 7 and 9, and is never read by `train`; clean_zh's held-out 30% is fixed by a hash of the text (`HeldOutSplit`). " +
                "What the whole pipeline does (keywords, detector, model and the worker's policy together) is measured by `moderation evaluate-decisions`: see docs/detection.md.");
            sb.AppendLine();
            sb.Append(ModelCoverage.Markdown(coverage).ReplaceLineEndings("\n"));
        }
        sb.AppendLine();
        sb.AppendLine(inv, $"Category 8 mixes Chinese (COLD region/gender, SWSR sexism) with English (Davidson 'offensive', known label noise); category 4 is COLD race-topic offensive rows and Davidson 'hate'.");
        sb.AppendLine();
        sb.AppendLine(inv, $"Data: {DatasetBuilder.Describe(data)}. COLD keeps its official train/dev/test split; clean_zh is split 60/10/30 by a fixed hash of the text (`HeldOutSplit`); other sources are split 80/10/10 per (source, category) with seed {m.Seed}.");
        sb.AppendLine();
        sb.AppendLine(inv, $"**Moderator decisions in this model: {m.ModeratorDecisions}.** (`train --decisions file.tsv`, same TSV format; a confirmed post is labelled with its category, a released one 0.)");
        sb.AppendLine();

        sb.AppendLine("## Precision–recall curves (held-out test split)");
        sb.AppendLine();
        foreach (var key in report.PrCurves.Keys)
        {
            sb.AppendLine(inv, $"![PR curve category {key}](pr-{key}.png)");
        }

        sb.AppendLine();
        sb.AppendLine("## Confusion matrix (held-out test split)");
        sb.AppendLine();
        sb.AppendLine("Rows: true category; columns: predicted (most probable head above its review threshold, else 0).");
        sb.AppendLine();
        sb.AppendLine("| true \\ predicted | " + string.Join(" | ", report.Confusion.Labels) + " |");
        sb.AppendLine("|---|" + string.Concat(report.Confusion.Labels.Select(_ => "---|")));
        for (var i = 0; i < report.Confusion.Labels.Count; i++)
        {
            sb.AppendLine(inv, $"| **{report.Confusion.Labels[i]}** | {string.Join(" | ", report.Confusion.Counts[i])} |");
        }

        sb.AppendLine();
        sb.Append(ModelCardFindings.Markdown.ReplaceLineEndings("\n"));
        sb.AppendLine();
        sb.AppendLine();
        sb.AppendLine("## Speed and size");
        sb.AppendLine();
        sb.AppendLine(inv, $"- single-thread prediction through the pooled serving path: **{bench.PostsPerSecond:N0} posts/s** on {bench.PostLength}-character posts (target ≥ 50,000/s){(bench.PostsPerSecond >= 50000 ? "" : " — **below target**")}; measured on the 2-core shared development machine, so expect more on a quiet one");
        sb.AppendLine(inv, $"- model zip: **{bench.ZipMiB:0.00} MiB** (target ≤ 20 MB)");
        sb.AppendLine(inv, $"- training + thresholds: {trainSeconds:0} s wall-clock on that machine, one thread");
        sb.AppendLine();
        sb.AppendLine("## Reproduce");
        sb.AppendLine();
        sb.AppendLine("From the repository root, with `../shared/data` present:");
        sb.AppendLine();
        sb.AppendLine("```");
        sb.AppendLine(reproduceCommand);
        sb.AppendLine("dotnet run --project src/Moderation.Cli -c Release -- evaluate      # held-out splits, prints the cold-test line");
        sb.AppendLine("dotnet run --project src/Moderation.Cli -c Release -- bench-model");
        sb.AppendLine("```");
        sb.AppendLine();
        sb.AppendLine("## Limits");
        sb.AppendLine();
        sb.AppendLine("- Trained on social-media comments (Weibo/Zhihu-style Chinese, English tweets); other registers (chat, mail, game) are out of distribution.");
        sb.AppendLine("- Character n-grams see surface form only: irony, context and insults spelled with homophones or pinyin are mostly missed; the keyword engine's normalisation covers part of that.");
        sb.AppendLine("- Thresholds are chosen for a stated precision on dev; precision on live traffic depends on its base rate. Start with review-only and watch moderator confirm rates.");
        File.WriteAllText(Path.Combine(directory, FileName), sb.ToString());
    }
}
