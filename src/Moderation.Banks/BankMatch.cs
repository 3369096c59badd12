namespace Moderation.Banks;

/// <summary>
/// A post matched a bank entry. <see cref="Similarity"/> is the exact Jaccard similarity of the two
/// shingle sets (not the MinHash estimate that found the candidate). <see cref="Start"/>/<see cref="End"/>
/// are UTF-16 offsets into the original post text (End exclusive) covering the first to the last of the
/// post's shingles that also occur in the entry, like a keyword hit's offsets.
/// </summary>
public sealed record BankMatch(BankEntry Entry, double Similarity, int Start, int End);
