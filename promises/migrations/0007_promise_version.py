"""Promise.version, and the triggers that bump it in the transaction of every change.

The page caches are keyed by it (promises/caching.py), so it must move whenever anything a
promise's pages show changes, whoever changes it: the services, the admin, a bulk update, a
cascade. Postgres triggers are the one place where that holds for all of them:

- promises_promise: any change of the row bumps it (BEFORE UPDATE: the new row carries it);
- the rows that hang from a promise (pledges, themes, news, bilan): inserted, changed or
  deleted, they bump their promise's (discussions/migrations/0002 adds posts and replies);
- a theme's name is on the pages of its promises;
- a person's public name (display name, anonymity) appears wherever they pledged: every
  promise they have a pledge on, whatever its status. Only people with a pledge write on a
  promise (posts, replies and news need one), so that covers every page their name is on.
"""

from django.conf import settings
from django.db import migrations, models

SQL = """
CREATE FUNCTION promise_version_on_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW IS DISTINCT FROM OLD THEN
        NEW.version := OLD.version + 1;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER promise_version BEFORE UPDATE ON promises_promise
    FOR EACH ROW EXECUTE FUNCTION promise_version_on_change();

-- For the tables with a promise_id column.
CREATE FUNCTION promise_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        UPDATE promises_promise SET version = version + 1 WHERE id = OLD.promise_id;
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.promise_id <> OLD.promise_id) THEN
        UPDATE promises_promise SET version = version + 1 WHERE id = NEW.promise_id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER promise_version AFTER INSERT OR UPDATE OR DELETE ON promises_pledge
    FOR EACH ROW EXECUTE FUNCTION promise_version_bump();
CREATE TRIGGER promise_version AFTER INSERT OR UPDATE OR DELETE ON promises_promise_themes
    FOR EACH ROW EXECUTE FUNCTION promise_version_bump();
CREATE TRIGGER promise_version AFTER INSERT OR UPDATE OR DELETE ON promises_update
    FOR EACH ROW EXECUTE FUNCTION promise_version_bump();
CREATE TRIGGER promise_version AFTER INSERT OR UPDATE OR DELETE ON promises_recap
    FOR EACH ROW EXECUTE FUNCTION promise_version_bump();

-- Rows named elsewhere: a theme is on the pages of the promises that have it, a person on
-- those they have a pledge on. Arguments: the table that links them to promises, its column.
CREATE FUNCTION promise_version_bump_linked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format(
        'UPDATE promises_promise SET version = version + 1 '
        'WHERE id IN (SELECT promise_id FROM %I WHERE %I = $1)',
        TG_ARGV[0], TG_ARGV[1]
    ) USING NEW.id;
    RETURN NULL;
END $$;

-- A theme renamed in the admin.
CREATE TRIGGER promise_version AFTER UPDATE ON promises_theme FOR EACH ROW
    WHEN (OLD.* IS DISTINCT FROM NEW.*)
    EXECUTE FUNCTION promise_version_bump_linked('promises_promise_themes', 'theme_id');

-- A person's public name, or their account closed (what they wrote is then masked).
CREATE TRIGGER promise_version AFTER UPDATE OF display_name, appears_anonymously, is_active
    ON accounts_user FOR EACH ROW
    WHEN (OLD.display_name IS DISTINCT FROM NEW.display_name
          OR OLD.appears_anonymously IS DISTINCT FROM NEW.appears_anonymously
          OR OLD.is_active IS DISTINCT FROM NEW.is_active)
    EXECUTE FUNCTION promise_version_bump_linked('promises_pledge', 'user_id');
"""

REVERSE_SQL = """
DROP TRIGGER promise_version ON accounts_user;
DROP TRIGGER promise_version ON promises_theme;
DROP FUNCTION promise_version_bump_linked();
DROP TRIGGER promise_version ON promises_recap;
DROP TRIGGER promise_version ON promises_update;
DROP TRIGGER promise_version ON promises_promise_themes;
DROP TRIGGER promise_version ON promises_pledge;
DROP FUNCTION promise_version_bump();
DROP TRIGGER promise_version ON promises_promise;
DROP FUNCTION promise_version_on_change();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("promises", "0006_pledge_page_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="promise",
            name="version",
            field=models.PositiveBigIntegerField(default=1, editable=False, verbose_name="version"),
        ),
        migrations.RunSQL(SQL, REVERSE_SQL),
    ]
