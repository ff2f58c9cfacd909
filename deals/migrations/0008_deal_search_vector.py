"""Full-text search on PostgreSQL: Deal.search_vector, its GIN index, and the triggers
that keep it current whatever writes deals, their parties or party names (a model's
save, admin inlines, the API, bulk updates, merges, imports, COPY, psql).

The vector holds the title (weight A), the names, native names and aliases of the
deal's parties (B) and the summary (C), with the 'simple' configuration (no stemming,
no stop words: names in any language). Everything that is not a letter or a digit is
made a space first, so that words are runs of letters and digits as deals/search.py
defines them ("JD.com" is "jd" and "com", as on SQLite).

On SQLite the column stays NULL and nothing here runs; Django makes the GIN index a
plain index there.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations

FUNCTIONS = r"""
CREATE FUNCTION deals_search_words(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT regexp_replace(coalesce($1, ''), '[^[:alnum:]]+', ' ', 'g') $$;

CREATE FUNCTION deals_deal_search_vector(bigint, text, text) RETURNS tsvector
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
SELECT setweight(to_tsvector('simple', deals_search_words($2)), 'A')
    || setweight(to_tsvector('simple', deals_search_words((
           SELECT string_agg(concat_ws(' ', p.name, p.native_name, p.aliases), ' ')
           FROM deals_dealparty dp JOIN deals_party p ON p.id = dp.party_id
           WHERE dp.deal_id = $1
       ))), 'B')
    || setweight(to_tsvector('simple', deals_search_words($3)), 'C')
$$;
"""

FILL = """
UPDATE deals_deal SET search_vector = deals_deal_search_vector(id, title, summary);
"""

# The deal's own trigger computes the vector on every write of the title, the summary or
# the vector itself: Django's save() writes back the value it read, which may be older
# than a party's rename. The others recompute the deals whose parties changed, once per
# statement (transition tables), so a bulk write costs one UPDATE, not one per row.
TRIGGERS = r"""
CREATE FUNCTION deals_deal_search_vector_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := deals_deal_search_vector(NEW.id, NEW.title, NEW.summary);
    RETURN NEW;
END
$$;

CREATE TRIGGER deals_deal_search_vector
BEFORE INSERT OR UPDATE OF title, summary, search_vector ON deals_deal
FOR EACH ROW EXECUTE FUNCTION deals_deal_search_vector_trigger();

CREATE FUNCTION deals_dealparty_search_vector_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE deals_deal d
        SET search_vector = deals_deal_search_vector(d.id, d.title, d.summary)
        WHERE d.id IN (SELECT deal_id FROM new_links);
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE deals_deal d
        SET search_vector = deals_deal_search_vector(d.id, d.title, d.summary)
        WHERE d.id IN (SELECT deal_id FROM old_links);
    ELSE
        UPDATE deals_deal d
        SET search_vector = deals_deal_search_vector(d.id, d.title, d.summary)
        WHERE d.id IN (
            SELECT unnest(ARRAY[o.deal_id, n.deal_id])
            FROM old_links o JOIN new_links n ON n.id = o.id
            WHERE o.deal_id <> n.deal_id OR o.party_id <> n.party_id
        );
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER deals_dealparty_search_vector_insert
AFTER INSERT ON deals_dealparty REFERENCING NEW TABLE AS new_links
FOR EACH STATEMENT EXECUTE FUNCTION deals_dealparty_search_vector_trigger();

CREATE TRIGGER deals_dealparty_search_vector_update
AFTER UPDATE ON deals_dealparty REFERENCING OLD TABLE AS old_links NEW TABLE AS new_links
FOR EACH STATEMENT EXECUTE FUNCTION deals_dealparty_search_vector_trigger();

CREATE TRIGGER deals_dealparty_search_vector_delete
AFTER DELETE ON deals_dealparty REFERENCING OLD TABLE AS old_links
FOR EACH STATEMENT EXECUTE FUNCTION deals_dealparty_search_vector_trigger();

CREATE FUNCTION deals_party_search_vector_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE deals_deal d
    SET search_vector = deals_deal_search_vector(d.id, d.title, d.summary)
    WHERE d.id IN (
        SELECT dp.deal_id
        FROM deals_dealparty dp
        JOIN new_parties n ON n.id = dp.party_id
        JOIN old_parties o ON o.id = n.id
        WHERE (o.name, o.native_name, o.aliases) IS DISTINCT FROM (n.name, n.native_name, n.aliases)
    );
    RETURN NULL;
END
$$;

CREATE TRIGGER deals_party_search_vector
AFTER UPDATE ON deals_party REFERENCING OLD TABLE AS old_parties NEW TABLE AS new_parties
FOR EACH STATEMENT EXECUTE FUNCTION deals_party_search_vector_trigger();
"""

DROP = """
DROP TRIGGER IF EXISTS deals_party_search_vector ON deals_party;
DROP TRIGGER IF EXISTS deals_dealparty_search_vector_delete ON deals_dealparty;
DROP TRIGGER IF EXISTS deals_dealparty_search_vector_update ON deals_dealparty;
DROP TRIGGER IF EXISTS deals_dealparty_search_vector_insert ON deals_dealparty;
DROP TRIGGER IF EXISTS deals_deal_search_vector ON deals_deal;
DROP FUNCTION IF EXISTS deals_party_search_vector_trigger();
DROP FUNCTION IF EXISTS deals_dealparty_search_vector_trigger();
DROP FUNCTION IF EXISTS deals_deal_search_vector_trigger();
DROP FUNCTION IF EXISTS deals_deal_search_vector(bigint, text, text);
DROP FUNCTION IF EXISTS deals_search_words(text);
"""


def create_search_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTIONS, params=None)
    # Existing deals first, computed once each, then the triggers that keep them current.
    schema_editor.execute(FILL, params=None)
    schema_editor.execute(TRIGGERS, params=None)


def drop_search_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("deals", "0007_editors_unlock_sign_ins"),
    ]

    operations = [
        migrations.AddField(
            model_name="deal",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False, null=True, serialize=False
            ),
        ),
        migrations.AddIndex(
            model_name="deal",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="deal_search_vector"
            ),
        ),
        migrations.RunPython(create_search_triggers, drop_search_triggers),
    ]
