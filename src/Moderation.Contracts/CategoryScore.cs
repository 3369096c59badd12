namespace Moderation.Contracts;

/// <summary>Evidence for one clause-1.3 category (1–9) from one source ("keyword" or "model").</summary>
public sealed record CategoryScore(int Category, string? SubLabel, double Score, string Source);
