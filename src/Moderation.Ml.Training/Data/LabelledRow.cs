namespace Moderation.Ml.Data;

/// <summary>One labelled post in the shared <c>normalized.tsv</c> shape. Category 0 = clean, 1–9 = clause 1.3, −1 = keep out.</summary>
public sealed record LabelledRow(string Text, int Category, string Split, string Source, string OrigLabel = "");

public static class Splits
{
    public const string Train = "train";
    public const string Dev = "dev";
    public const string Test = "test";
}
