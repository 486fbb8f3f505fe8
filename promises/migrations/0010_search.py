"""French full-text search on /promesses/?q= (promises/search.py): a text search
configuration, Promise.search_vector, and the triggers that keep it in step.

- french_unaccent: Postgres' french configuration with unaccent before the stemmer, so that
  "vélo", "velo" and "VÉLO" are one word;
- search_vector: the sentence (weight A), the city and the themes' names (B), the
  description (C), stored and GIN-indexed so that a search reads the index, not every row;
- triggers, because the vector depends on rows Django saves in separate statements (the
  themes) and on rows changed elsewhere (a theme renamed in the admin), and because only
  Postgres sees every write (services, admin, bulk updates):
  - promises_promise: computed on INSERT, and on an UPDATE that changes the sentence, the
    description or the city, or that writes search_vector itself. Django's save() writes
    every column, search_vector with it (NULL, or what it read earlier): such a write is
    recomputed from the row, never taken as it comes. The triggers are named promise_search_*
    so that they run before promise_version (triggers run in name order): the version
    trigger sees the recomputed row, and a save() that changes nothing bumps nothing;
  - promises_promise_themes: a theme added or removed recomputes its promise;
  - promises_theme: a renamed theme recomputes its promises.
- promise_search_query(q): the tsquery of a search (promises/search.py says why prefixes).
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

SQL = r"""
CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
ALTER TEXT SEARCH CONFIGURATION french_unaccent
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;

-- What a search reads of a promise: its sentence, its city and themes, its description.
CREATE FUNCTION promise_search_document(promise_id bigint, action text, description text,
                                        city text) RETURNS tsvector
LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector('french_unaccent', coalesce(action, '')), 'A')
        || setweight(to_tsvector('french_unaccent', coalesce(city, '') || ' ' || coalesce(
               (SELECT string_agg(theme.name, ' ' ORDER BY theme.name)
                  FROM promises_promise_themes link
                  JOIN promises_theme theme ON theme.id = link.theme_id
                 WHERE link.promise_id = $1), '')), 'B')
        || setweight(to_tsvector('french_unaccent', coalesce(description, '')), 'C')
$$;

CREATE FUNCTION promise_search_on_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := promise_search_document(NEW.id, NEW.action, NEW.description, NEW.city);
    RETURN NEW;
END $$;

CREATE TRIGGER promise_search_insert BEFORE INSERT ON promises_promise
    FOR EACH ROW EXECUTE FUNCTION promise_search_on_change();
-- The column list keeps the pledges' counter updates (SET pledge_count = …) out of it.
CREATE TRIGGER promise_search_update
    BEFORE UPDATE OF action, description, city, search_vector ON promises_promise
    FOR EACH ROW
    WHEN (OLD.action IS DISTINCT FROM NEW.action
          OR OLD.description IS DISTINCT FROM NEW.description
          OR OLD.city IS DISTINCT FROM NEW.city
          OR OLD.search_vector IS DISTINCT FROM NEW.search_vector)
    EXECUTE FUNCTION promise_search_on_change();

-- Writing search_vector makes promise_search_update recompute it from the row.
CREATE FUNCTION promise_search_themes_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE promises_promise
           SET search_vector = promise_search_document(id, action, description, city)
         WHERE id = OLD.promise_id;
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW IS DISTINCT FROM OLD) THEN
        UPDATE promises_promise
           SET search_vector = promise_search_document(id, action, description, city)
         WHERE id = NEW.promise_id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER promise_search AFTER INSERT OR UPDATE OR DELETE ON promises_promise_themes
    FOR EACH ROW EXECUTE FUNCTION promise_search_themes_changed();

CREATE FUNCTION promise_search_theme_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE promises_promise
       SET search_vector = promise_search_document(id, action, description, city)
     WHERE id IN (SELECT promise_id FROM promises_promise_themes WHERE theme_id = NEW.id);
    RETURN NULL;
END $$;

CREATE TRIGGER promise_search AFTER UPDATE OF name ON promises_theme FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION promise_search_theme_renamed();

-- A search's query: websearch syntax ("…", or, -), each word matched as a prefix of its
-- stem cut short (promises/search.py says why). Rewritten lexeme by lexeme with
-- ts_rewrite, so that the operators the visitor typed stay as they are; a word that is not
-- plain letters and digits is left exact. IMMUTABLE as to_tsvector(regconfig, text) is: the
-- planner computes it once, from the constant, and estimates the index scan with it.
CREATE FUNCTION promise_search_query(q text) RETURNS tsquery
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    result tsquery := websearch_to_tsquery('french_unaccent', q);
    word text;
    stem text;
BEGIN
    FOR word IN SELECT lexeme FROM unnest(to_tsvector('french_unaccent', q)) LOOP
        CONTINUE WHEN word !~ '^[[:alnum:]]+$';
        -- Plurals: the French stemmer keeps the s after a vowel ("vélos": velos).
        stem := CASE WHEN length(word) > 4 THEN regexp_replace(word, '[sx]$', '') ELSE word END;
        -- Derived words: nettoyage (nettoyag) and nettoyer (nettoi) share "netto".
        stem := left(stem, greatest(least(length(stem), 5), length(stem) - 3));
        result := ts_rewrite(result, format('''%s''', word)::tsquery,
                            format('''%s'':*', stem)::tsquery);
    END LOOP;
    RETURN result;
END $$;

UPDATE promises_promise
   SET search_vector = promise_search_document(id, action, description, city);
-- The version triggers' writes queued deferred checks: run them before the index is built
-- (Postgres refuses to alter a table with checks pending).
SET CONSTRAINTS ALL IMMEDIATE;
"""

REVERSE_SQL = """
DROP FUNCTION promise_search_query(text);
DROP TRIGGER promise_search ON promises_theme;
DROP FUNCTION promise_search_theme_renamed();
DROP TRIGGER promise_search ON promises_promise_themes;
DROP FUNCTION promise_search_themes_changed();
DROP TRIGGER promise_search_update ON promises_promise;
DROP TRIGGER promise_search_insert ON promises_promise;
DROP FUNCTION promise_search_on_change();
DROP FUNCTION promise_search_document(bigint, text, text, text);
DROP TEXT SEARCH CONFIGURATION french_unaccent;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("promises", "0009_sharing"),
    ]

    operations = [
        UnaccentExtension(),
        migrations.AddField(
            model_name="promise",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunSQL(SQL, REVERSE_SQL),
        migrations.AddIndex(
            model_name="promise",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="promise_search_vector"
            ),
        ),
    ]
