using Microsoft.Extensions.ObjectPool;
using Moderation.Banks.Text;

namespace Moderation.Banks.Index;

/// <summary>Working memory for one match or one sketch at a time, pooled so the hot path allocates nothing
/// unless something matches.</summary>
internal sealed class MatchScratch
{
    public MatchScratch(int paddedSignature, int bands)
    {
        Signature = new uint[paddedSignature];
        Keys = new uint[bands];
    }

    public FoldedText Post { get; } = new();

    public FoldedText Entry { get; } = new();

    public ulong[] PostShingles = new ulong[256];

    public ulong[] EntryShingles = new ulong[256];

    public uint[] Signature { get; }

    public uint[] Keys { get; }

    public List<int> Candidates { get; } = new(64);

    public List<long> Ranked { get; } = new(64);

    /// <summary>Where the prefetching loads go, so the JIT cannot drop them.</summary>
    public ulong Touched { get; set; }

    public List<BankMatch> Best { get; } = new(4);

    /// <summary>Band collisions of each <see cref="Best"/> match.</summary>
    public List<int> BestCollisions { get; } = new(4);

    internal sealed class Policy(int paddedSignature, int bands) : IPooledObjectPolicy<MatchScratch>
    {
        public MatchScratch Create() => new(paddedSignature, bands);

        public bool Return(MatchScratch obj)
        {
            obj.Candidates.Clear();
            obj.Ranked.Clear();
            obj.Best.Clear();
            obj.BestCollisions.Clear();
            // Do not keep buffers a 100,000-character post grew: they would pin memory per pooled object.
            return obj.PostShingles.Length <= 1 << 16 && obj.Post.Length <= 1 << 16;
        }
    }
}
