namespace Moderation.Core.Classification;

public static class ClassifierKinds
{
    public const string Keyword = "keyword";
    public const string Model = "model";
}
