namespace Moderation.Ml.Workflows;

/// <summary>
/// The model card's "what we tried" part: ideas measured against the current recipe and why none was kept.
/// Fixed text (not re-measured by each run) so a retrain does not erase what was learnt; update it when a
/// new idea is measured. Dev figures choose, test figures are reported only.
/// </summary>
internal static class ModelCardFindings
{
    public const string Markdown = """
## Coverage by category, honestly (whole pipeline, independent held-out sets)

The model is one of four classifiers; what a platform gets is the worker's decision. Two held-out sets, each written by someone who read no pattern, example or lexicon (`tests/data/heldout/heldout-zh.tsv`, 1,666 rows, and `tests/data/heldout2/heldout2-zh.tsv`, 1,696 rows written on 2026-12-02 without reading the first; measurement only), with `moderation evaluate-decisions --data <set> --domain-lists ../shared/data/domains --by-label` on 2026-12-02 (the model trained on the final lists — training is deterministic, so a retrain changes only the version — and policy `2026-12-02.2`), v1 / v2:

| category | what covers it | held-out acted on in the right category, v1 / v2 |
|---|---|---|
| 1–3, 5 (constitution, state security, national honour, religion and cults) | keywords only (the default lexicon or an operator's); no labelled data, no model head | not measured: no independent data |
| 4 (ethnic hatred) | keywords + model head (COLD race topic, Davidson hate) | COLD test only (above) |
| 6 (rumours) | rumour lures (a spread demand, an alarm, a harm claim: two of three) + model head trained on 30-odd project examples; banks of known rumours are the real answer | 9.5% / 6.2% (126 / 129 rows) |
| 7 (gambling, porn, violence) | keywords + solicitation detector + domain lists + model head | 59.3% / 60.1% (369 / 398 rows; gambling 63.9% / 63.3%, porn 61.2% / 56.8%, violence 0% / —) |
| 8 (insult) | keywords + model head (COLD, SWSR, Davidson) | COLD test only (above) |
| 9 (drugs, weapons, fraud, black market) | keywords + solicitation detector + domain lists + model head | 64.4% / 63.2% (475 / 519 rows; fraud 63.3% / 64.3%, telecom fraud 65.5% / 61.4%, black market 64.4% / 58.2%, drugs 60.0% / 62.9%, weapons 71.9% / 69.5%, loans — / 67.7%) |
| clean | — | v1: 3.16% quarantined, 0.00% blocked of 696 (look-alikes 5.2%, anti-fraud warnings 19.5%, chat and reviews 0–0.6%); v2: 3.85% / 0.31% of 650 (legit ads with contacts 7.0%, news 10.0%, warnings 11.6%, chat 0%, reviews 1.0%); clean_zh held-out 0.02% / 0% |

Every detector-list change needs a retrain (the model reads the detector's findings as features; `ShippedModelTests` fails when the shipped model was trained on other lists). The 2026-12-02 retrain added 80 project-written warnings and look-alikes as negatives.

## Solicitation and rumour heads (6, 7, 9): what was measured

Same data and seed, figures on the held-out test split (27 rows of 7, 30 of 9, 4 of 6: the project's own examples, so read them as a sanity check, not a certificate), measured while the pattern lists were being written (the shipped model's own figures are in the tables above):

| variant | 7 AP | 9 AP | COLD test acc / macro-F1 / anti-bias |
|---|---|---|---|
| before: Platt scaling by plain Newton steps (the fit diverged on a few dozen positives: slope ≈ 2.7·10⁷, so the heads never fired) | 0.001 | 0.001 | 0.801 / 0.795 / 0.441 |
| Platt with a backtracking line search, P(c) = P(prohibited) × P(c \| prohibited) | 0.809 | 0.802 | 0.801 / 0.795 / 0.441 |
| one-vs-rest heads for 6, 7, 9 (this category vs every other row) | 0.895 | 0.856 | 0.801 / 0.795 / 0.441 |
| + the detector's findings as features, weight 0.5 (**kept**) | 0.970 | 0.977 | 0.801 / 0.797 / 0.394 |
| + the detector's findings as features, weight 1.0 | 0.968 | 0.969 | 0.803 / 0.798 / 0.414 |

All rows include clean_zh's training 60% as negatives and the project's examples. Adding clean_zh raised COLD's anti-bias accuracy (655 rows) from the earlier recipe's 0.398 to 0.441; the detector features give that gain back (0.394, the earlier recipe's level) while accuracy and macro-F1 stay at or above 0.800 / 0.795. Weight 1.0 keeps more of it (0.414) at slightly lower 7 and 9 AP; both are within what one more project example changes, and 0.5 was kept for recall on 7.

## What we tried (and why the recipe above stayed)

Each idea was trained as the *prohibited vs clean* head of the recipe above, Platt-calibrated on dev, with the offensive threshold chosen on COLD dev. Columns: COLD dev accuracy (the dev split is where ideas are chosen; it has no anti-bias labels) | COLD test accuracy / macro-F1 / anti-bias accuracy (reported, never used to choose). Retraining the unchanged recipe in the same harness gives dev 0.895 | test 0.802 / 0.797 / 0.394, and dev's standard error is about ±0.004 (6,431 rows), so differences under ~0.005 are noise.

| idea | dev acc | test acc | test macro-F1 | test anti-bias |
|---|---|---|---|---|
| unchanged recipe (harness retrain) | 0.895 | 0.802 | 0.797 | 0.394 |
| NB-SVM: features scaled by the naive-Bayes log-count ratio (char 1–3-grams, α = 1) | 0.893 | 0.802 | 0.797 | 0.392 |
| hard negatives: clean COLD train rows with an anti-discrimination cue (our 24-term list: 歧视, 反对, 平等, 尊重, 偏见, 地域黑, 以偏概全, …; 1,009 rows) weighted ×3 / ×6 / ×12 | 0.895 / 0.894 / 0.894 | 0.801 / 0.802 / 0.802 | 0.796 / 0.798 / 0.798 | 0.402 / 0.394 / 0.392 |
| cue masking: the 2–3-grams inside those cue words removed (38 features); with hard negatives ×3 | 0.895; 0.895 | 0.801; 0.802 | 0.796; 0.798 | 0.398; 0.392 |
| target-group conjunctions: group term (29, our list) × insult term (27) / × anti-discrimination cue, as extra features (value 0.3 / 1) | 0.896 / 0.893 | 0.804 / 0.802 | 0.799 / 0.797 | 0.415 / 0.406 |
| char skip-bigrams (c₁ _ c₃) added at 0.05 (two hash seeds) | 0.894–0.895 | 0.797–0.803 | 0.794–0.798 | 0.363–0.417 |
| ensemble, mean calibrated logit: plain + skip-bigram + conjunction models; + NB-SVM model | 0.897; 0.898 | 0.804; 0.803 | 0.798; 0.799 | 0.417; 0.388 |
| train + dev: trained on train + half of dev, judged on the other half (vs train only on that half: 0.897) | 0.895 | 0.802 | 0.797 | 0.395 |
| label-noise cleaning (5-fold out-of-fold scores): drop rows whose label scores < 0.1 (954) / < 0.2 (1,913); weight < 0.3 rows 0.3 (2,962) | 0.896 / 0.895 / 0.896 | 0.801 / 0.798 / 0.806 | 0.797 / 0.794 / 0.800 | 0.388 / 0.369 / 0.432 |
| COLD rows only; other sources weighted ×2 | 0.908; 0.891 | 0.797; 0.801 | 0.793; 0.795 | 0.374; 0.415 |
| L2 1e-5 / 1e-4 (default 1e-6) | 0.885 / 0.828 | 0.800 / 0.765 | 0.795 / 0.758 | 0.402 / 0.446 |

None beats the recipe on dev beyond noise, so none was kept. Earlier attempts that did not help either: jieba word and word-bigram features, char 4-grams, larger hash spaces, other regularisation; the shared *prohibited* head did help (+2 points over one-vs-rest heads).

Why linear models stop at 0.80 on COLD test:
- **Dev does not look like test.** COLD's train and dev labels come from its semi-automatic annotation; the test split was annotated with fine-grained labels and holds the anti-bias rows. The same recipe scores 0.895 on dev and 0.80 on test, and dev is 49.7 % offensive against test's 39.3 %. Dev cannot see anti-bias gains, and nothing in the train data teaches them.
- **The train labels teach the opposite of anti-bias.** 93 % of the 3,270 COLD train rows that contain 歧视 ("discrimination") are labelled offensive, as are 84 % of the rows with 反对 ("oppose") and 78 % of the rows with 平等 ("equality"). Talking about discrimination is, to this data, a sign of offence. The anti-bias test rows do exactly that.
- **The ranking is the ceiling, not the threshold.** This is a diagnostic only, not used to choose anything. On test, the scores' ROC AUC is 0.878. Even the best possible threshold chosen on test itself reaches only 0.805 accuracy and 0.48 anti-bias accuracy. On test the model makes 683 false positives against 361 misses, so most of its errors are safe posts that it flags.

What would move it: training rows labelled like COLD's test, meaning safe posts about groups that criticise discrimination. Moderators' *release* decisions on such posts would supply them (`train --decisions`), and so would a project-written anti-bias example set large enough to count. A contextual encoder might also move it, but the paper's BERT reaches only 0.81, far beyond this speed budget.
""";
}
