namespace Moderation.Banks.Hashing;

/// <summary>Bit mixers (MurmurHash3 finalisers): bijective, cheap, and well spread in every output bit.</summary>
internal static class Mix
{
    public static ulong Fmix64(ulong h)
    {
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdUL;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53UL;
        h ^= h >> 33;
        return h;
    }

    public static uint Fmix32(uint h)
    {
        h ^= h >> 16;
        h *= 0x85ebca6bU;
        h ^= h >> 13;
        h *= 0xc2b2ae35U;
        h ^= h >> 16;
        return h;
    }
}
