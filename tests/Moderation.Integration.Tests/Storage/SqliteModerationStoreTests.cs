using Dapper;
using Microsoft.Data.Sqlite;
using Moderation.Storage;
using Moderation.Storage.Review;

namespace Moderation.Integration.Tests.Storage;

public sealed class SqliteModerationStoreTests : ModerationStoreContract, IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"moderation-test-{Guid.NewGuid():N}.db");
    private readonly string _cs;
    private readonly SqliteModerationStore _store;
    private readonly int _applied;

    public SqliteModerationStoreTests()
    {
        _cs = $"Data Source={_path};Pooling=false";
        _applied = DatabaseMigrator.ApplySqlite(_cs);
        _store = new SqliteModerationStore(_cs);
    }

    protected override IModerationStore Store => _store;
    protected override IReviewQueue Queue => new SqliteReviewQueue(_cs, Time);
    protected override IReviewCommands Commands => new SqliteReviewCommands(_cs, Time);
    protected override IAuditLog Audit => new SqliteAuditLog(_cs, Time);
    protected override IReviewOutbox Outbox => new SqliteReviewOutbox(_cs, Time);
    protected override IReviewSessions Sessions => new SqliteReviewSessions(_cs);

    public void Dispose()
    {
        _store.Dispose();
        File.Delete(_path);
    }

    protected override async Task<(string? Update, string? Delete)> TryRewriteAuditLogAsync()
    {
        await using var conn = new SqliteConnection(_cs);
        await conn.OpenAsync();
        async Task<string?> Refusal(string sql)
        {
            try { await conn.ExecuteAsync(sql); return null; }
            catch (SqliteException e) { return e.Message; }
        }
        return (await Refusal("UPDATE review_audit_log SET actor = 'someone-else'"), await Refusal("DELETE FROM review_audit_log"));
    }

    [Fact]
    public async Task Migration_0200_turns_the_old_notes_column_into_rows_by_their_audited_authors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"moderation-notes-{Guid.NewGuid():N}.db");
        var cs = $"Data Source={path};Pooling=false";
        try
        {
            DatabaseMigrator.ApplySqlite(cs, upTo: "0110");
            await using (var conn = new SqliteConnection(cs))
            {
                await conn.OpenAsync();
                // Two held posts as the 0110 schema holds them (raw rows: today's store writes tables 0110 lacks, the ledger's).
                foreach (var (contentId, decisionId) in new[] { ("audited", Guid.NewGuid()), ("unaccounted", Guid.NewGuid()) })
                    await conn.ExecuteAsync("""
                        INSERT INTO post_records (platform, content_id, version, service_type, author_id, body, published_at, source_ip, received_at, content_sha256, retain_until)
                        VALUES ('store-test', @contentId, 1, 'forum', 'author-1', 'body', '2026-11-29T01:59:00.0000000Z', '2001:db8::7', '2026-11-29T02:00:00.0000000Z', @sha, '2027-01-28T02:00:00.0000000Z');
                        INSERT INTO decisions (decision_id, platform, content_id, version, action, categories, scores, hits, reasons, lexicon_version, model_version, policy_version, decided_at, evidence_json, evidence_sha256)
                        VALUES (@decisionId, 'store-test', @contentId, 1, 'quarantine', '[7]', '{}', '[]', '[]', 'lex', 'model', 'policy', '2026-11-29T02:00:00.0000000Z', '{}', @sha);
                        INSERT INTO quarantine (decision_id, platform, content_id, version, service_type, categories, max_severity, top_score, created_at)
                        VALUES (@decisionId, 'store-test', @contentId, 1, 'forum', '[7]', 1, 0, '2026-11-29T02:00:00.0000000Z');
                        """, new { contentId, decisionId = decisionId.ToString("D"), sha = new string('0', 64) });
                await conn.ExecuteAsync("""
                    UPDATE quarantine SET notes = '[2026-11-29T02:00:00Z mod1] fine' || char(10) || '[2026-12-01T09:00:00Z supervisor] Approved by supervisor'
                    WHERE content_id = 'audited';
                    UPDATE quarantine SET notes = 'typed into the database by hand' WHERE content_id = 'unaccounted';
                    INSERT INTO review_audit_log (occurred_at, actor, actor_roles, auth_method, action, decision_id, details)
                    SELECT '2026-11-29T02:00:00.0000000Z', 'mod1', '["moderator"]', 'password', 'item.note', decision_id,
                           json_object('text', 'fine' || char(10) || '[2026-12-01T09:00:00Z supervisor] Approved by supervisor')
                    FROM quarantine WHERE content_id = 'audited';
                    """);
            }

            DatabaseMigrator.ApplySqlite(cs);

            await using var check = new SqliteConnection(cs);
            await check.OpenAsync();
            var notes = (await check.QueryAsync<(string ContentId, string Author, string Text, string Kind)>("""
                SELECT q.content_id, n.author, n.text, n.kind FROM review_notes n JOIN quarantine q USING (decision_id) ORDER BY q.content_id
                """)).ToList();
            Assert.Equal([("audited", "mod1", "fine\n[2026-12-01T09:00:00Z supervisor] Approved by supervisor", "note"),
                          ("unaccounted", "", "typed into the database by hand", "imported")], notes);
            Assert.Equal(0L, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM pragma_table_info('quarantine') WHERE name = 'notes'"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }

    [Fact]
    public void Migrations_run_once_and_a_second_run_finds_nothing_to_do()
    {
        Assert.Equal(Directory.GetFiles(PostgresModerationStoreTests.MigrationsFolder("Sqlite"), "*.sql").Length, _applied);
        Assert.Equal(0, DatabaseMigrator.ApplySqlite(_cs));
    }
}
