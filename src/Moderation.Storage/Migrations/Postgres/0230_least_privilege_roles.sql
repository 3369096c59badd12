-- Issue 12, finding 7: least privilege (docs/security.md "Database roles").
-- moderation_owner owns the schema and runs the migrations; the apps connect as moderation_worker and
-- moderation_review, which may read and write rows but own nothing, so they cannot ALTER, DROP or DISABLE a trigger,
-- TRUNCATE, or (not being superusers) SET session_replication_role. The roles are cluster-wide and created by
-- `Moderation.Worker create-roles` (it needs a superuser); without them this migration only installs the function.
--
-- One function, so that create-roles can apply the same rights to a database migrated before the roles existed.
CREATE OR REPLACE FUNCTION moderation_grant_runtime_rights() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    t record;
BEGIN
    IF (SELECT count(*) FROM pg_roles WHERE rolname IN ('moderation_owner', 'moderation_worker', 'moderation_review')) < 3 THEN
        RETURN;
    END IF;
    GRANT USAGE ON SCHEMA public TO moderation_worker, moderation_review;
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO moderation_worker, moderation_review;
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO moderation_worker, moderation_review;
    -- Tables and sequences that later migrations create (run as moderation_owner) get the same rights by themselves.
    ALTER DEFAULT PRIVILEGES FOR ROLE moderation_owner IN SCHEMA public
        GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO moderation_worker, moderation_review;
    ALTER DEFAULT PRIVILEGES FOR ROLE moderation_owner IN SCHEMA public
        GRANT USAGE, SELECT ON SEQUENCES TO moderation_worker, moderation_review;

    -- Append-only tables: every table guarded by a trigger function named *_is_append_only (the audit log, the
    -- record ledger...) is INSERT and SELECT only for the runtime roles. The convention lets this function, re-run by
    -- create-roles, keep the revokes of migrations it does not know.
    FOR t IN
        SELECT DISTINCT c.oid::regclass AS tab
        FROM pg_trigger g
        JOIN pg_class c ON c.oid = g.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_proc p ON p.oid = g.tgfoid
        WHERE n.nspname = 'public' AND NOT g.tgisinternal AND p.proname LIKE '%\_is\_append\_only'
    LOOP
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %s FROM moderation_worker, moderation_review', t.tab);
    END LOOP;

    -- DbUp's journal: the runtime roles may check which migrations ran (MigrateOnStart=false), not record one.
    IF to_regclass('public.schemaversions') IS NOT NULL THEN
        REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schemaversions FROM moderation_worker, moderation_review;
    END IF;
    -- Page sessions (token hashes, reviewers' addresses) are the review app's alone.
    IF to_regclass('public.review_sessions') IS NOT NULL THEN
        REVOKE ALL ON review_sessions FROM moderation_worker;
    END IF;
END
$$;
REVOKE EXECUTE ON FUNCTION moderation_grant_runtime_rights() FROM PUBLIC;

SELECT moderation_grant_runtime_rights();
