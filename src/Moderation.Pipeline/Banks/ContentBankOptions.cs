namespace Moderation.Pipeline.Banks;

/// <summary>
/// Configuration section "Moderation:Banks" as the worker reads it (the review app reads the confirm-filing keys
/// of the same section). Validated at start-up.
/// </summary>
public sealed class ContentBankOptions
{
    public const string Section = "Moderation:Banks";

    /// <summary>Match every post against the enabled banks of the moderation database.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the worker reads the bank version (one row) to pick up changes; 100 ms to 1 minute.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Threads that hash the entries on the first load (a million entries take ~40 s on one thread). 0: all cores.</summary>
    public int LoadParallelism { get; set; }

    public string? Problem() =>
        PollInterval < TimeSpan.FromMilliseconds(100) || PollInterval > TimeSpan.FromMinutes(1)
            ? "Moderation:Banks:PollInterval must be between 00:00:00.1 and 00:01:00"
            : LoadParallelism < 0 ? "Moderation:Banks:LoadParallelism must be 0 (all cores) or more" : null;
}
