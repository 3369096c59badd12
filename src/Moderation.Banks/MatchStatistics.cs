namespace Moderation.Banks;

/// <summary>Counters for benchmarks and diagnostics: where matching spends its time. One per thread.</summary>
public sealed class MatchStatistics
{
    public long Posts { get; internal set; }

    /// <summary>Shingle sets hashed and looked up (one per post, plus windows of long posts).</summary>
    public long Windows { get; internal set; }

    /// <summary>Distinct entries found through at least one band key.</summary>
    public long Candidates { get; internal set; }

    /// <summary>Candidates whose exact similarity was computed (the rest failed the set-size bound).</summary>
    public long Verified { get; internal set; }

    /// <summary>Verified candidates at or above their threshold.</summary>
    public long Matches { get; internal set; }
}
