using Microsoft.Extensions.Time.Testing;
using Moderation.Ml.Data;
using Moderation.Ml.Features;
using Moderation.Ml.Serving;
using Moderation.Ml.Training;

namespace Moderation.Ml.Tests;

/// <summary>Small synthetic labelled sets and throw-away model directories. Training one takes about a second.</summary>
internal static class Fixtures
{
    public const string Insult = "你这个蠢货真是废物垃圾";
    public const string Clean = "今天天气很好我们去公园散步";

    private static readonly string[] CleanParts = ["今天天气很好", "我们去公园散步", "晚饭吃了面条", "这本书很有意思", "周末一起看电影", "谢谢你的帮助", "火车准时到站", "咖啡很好喝"];
    private static readonly string[] InsultParts = ["你这个蠢货", "真是废物", "滚开垃圾", "脑残东西", "白痴一个", "恶心死了你"];
    private static readonly string[] HatredParts = ["某族人都该滚出去", "那个民族都是劣等", "异族不配活着", "把外族赶走"];

    public static List<LabelledRow> Rows(int seed, bool swapLabels = false)
    {
        var rng = new Random(seed);
        var rows = new List<LabelledRow>();
        string Make(string[] parts, int i) => parts[rng.Next(parts.Length)] + parts[rng.Next(parts.Length)] + "，" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < 80; i++)
        {
            rows.Add(new LabelledRow(Make(CleanParts, i), swapLabels ? 8 : 0, "", "fixture"));
            rows.Add(new LabelledRow(Make(InsultParts, i), swapLabels ? 0 : 8, "", "fixture"));
            if (i < 40)
            {
                rows.Add(new LabelledRow(Make(HatredParts, i), 4, "", "fixture"));
            }
        }

        return rows;
    }

    public static TrainingSettings Settings(int seed = 7) => new()
    {
        Seed = seed,
        MinPositives = 10,
        MaxIterations = 10,
        Featurizer = new FeaturizerSettings { HashBits = 12, MaxNgram = 2 },
    };

    public static LoadedModel Train(string directory, int seed = 7, bool swapLabels = false, DateTimeOffset? at = null)
    {
        var data = DatasetBuilder.Build(Rows(seed, swapLabels), seed);
        var time = new FakeTimeProvider(at ?? new DateTimeOffset(2026, 1, 2, 3, 4, 0, TimeSpan.Zero));
        return new ModelTrainer(time).Train(data, Settings(seed), directory, _ => { });
    }

    public static string TempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "moderation-ml-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
