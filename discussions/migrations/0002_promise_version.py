"""Posts and replies bump their promise's version (promises/migrations/0007 says why)."""

from django.db import migrations

SQL = """
CREATE TRIGGER promise_version AFTER INSERT OR UPDATE OR DELETE ON discussions_post
    FOR EACH ROW EXECUTE FUNCTION promise_version_bump();

-- A reply knows its post, and the post its promise.
CREATE FUNCTION promise_version_bump_for_reply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN
        RETURN NULL;
    END IF;
    UPDATE promises_promise SET version = version + 1
    WHERE id IN (
        SELECT promise_id FROM discussions_post
        WHERE id IN (
            CASE WHEN TG_OP <> 'INSERT' THEN OLD.post_id END,
            CASE WHEN TG_OP <> 'DELETE' THEN NEW.post_id END
        )
    );
    RETURN NULL;
END $$;

CREATE TRIGGER promise_version AFTER INSERT OR UPDATE OR DELETE ON discussions_comment
    FOR EACH ROW EXECUTE FUNCTION promise_version_bump_for_reply();
"""

REVERSE_SQL = """
DROP TRIGGER promise_version ON discussions_comment;
DROP FUNCTION promise_version_bump_for_reply();
DROP TRIGGER promise_version ON discussions_post;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("discussions", "0001_initial"),
        ("promises", "0007_promise_version"),
    ]

    operations = [migrations.RunSQL(SQL, REVERSE_SQL)]
