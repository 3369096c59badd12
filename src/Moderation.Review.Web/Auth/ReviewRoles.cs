namespace Moderation.Review.Auth;

public static class ReviewRoles
{
    public const string Moderator = "moderator";
    public const string Supervisor = "supervisor";
    public const string Auditor = "auditor";
    public const string Admin = "admin";
    public const string Compliance = "compliance";

    public static IReadOnlyList<string> All { get; } = [Moderator, Supervisor, Auditor, Admin, Compliance];
}

/// <summary>What each role may do; endpoints name a policy, never a role list.</summary>
public static class ReviewPolicies
{
    /// <summary>See the queue and items (auditors included: read-only).</summary>
    public const string Read = "review.read";

    /// <summary>Claim, decide, annotate.</summary>
    public const string Act = "review.act";

    /// <summary>The escalated queue and bulk decisions.</summary>
    public const string Supervise = "review.supervise";

    /// <summary>Read the audit log.</summary>
    public const string Audit = "review.audit";

    /// <summary>Export decisions as training data.</summary>
    public const string Export = "review.export";

    /// <summary>See lawful requests and their exports (compliance officers, auditors read-only, admins).</summary>
    public const string ComplianceRead = "compliance.read";

    /// <summary>Register, approve or reject, and export lawful requests.</summary>
    public const string ComplianceAct = "compliance.act";
}
