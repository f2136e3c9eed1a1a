"""The database refuses to change audit entries (and, on PostgreSQL, to delete them); the chain's
head row; the privacy officer's role and the new permissions for administrators.

SQLite gets no DELETE trigger: Django's test database flush empties tables with DELETE there
(on PostgreSQL with TRUNCATE, which the row trigger does not see). A deletion on SQLite still
shows in `audit verify` as a gap in the sequence numbers.
"""

from django.db import migrations

POSTGRES_GUARD = """
CREATE OR REPLACE FUNCTION privacy_audit_entry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER privacy_audit_entry_no_update BEFORE UPDATE OR DELETE ON privacy_auditentry
    FOR EACH ROW EXECUTE FUNCTION privacy_audit_entry_append_only();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS privacy_audit_entry_no_update ON privacy_auditentry;
DROP FUNCTION IF EXISTS privacy_audit_entry_append_only();
"""
SQLITE_GUARD = """
CREATE TRIGGER privacy_audit_entry_no_update BEFORE UPDATE ON privacy_auditentry
BEGIN
    SELECT RAISE(ABORT, 'audit entries are append-only');
END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS privacy_audit_entry_no_update;"


def add_guard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_GUARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_GUARD)


def drop_guard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)


def create_head(apps, schema_editor):
    apps.get_model("privacy", "AuditChainHead").objects.get_or_create(pk=1)


def grant_privacy_permissions(apps, schema_editor):
    """Roles are data per organisation (organisations 0007): every organisation that has roles
    gets the audit permission for its administrators and a privacy officer's role; one that has
    none yet gets both with its first membership (permissions.DEFAULT_ROLES)."""
    Role = apps.get_model("organisations", "Role")
    for administrator in Role.objects.filter(slug="administrator"):
        if "view_audit" not in administrator.permissions:
            administrator.permissions = [*administrator.permissions, "view_audit"]
            administrator.save(update_fields=["permissions"])
    for organisation_id in Role.objects.values_list("organisation_id", flat=True).distinct():
        Role.objects.get_or_create(
            organisation_id=organisation_id,
            slug="privacy_officer",
            defaults={
                "name": "Privacyfunctionaris",
                "permissions": ["view_audit", "view_identities"],
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_audit_trail"),
        ("organisations", "0008_roles_require_organisation"),
    ]
    operations = [
        migrations.RunPython(add_guard, drop_guard),
        migrations.RunPython(create_head, migrations.RunPython.noop),
        migrations.RunPython(grant_privacy_permissions, migrations.RunPython.noop),
    ]
