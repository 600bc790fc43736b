"""Recovery codes stored in clear before this migration are replaced by their keyed hashes (``recovery_digest``).

A code of django-otp is 8 characters; a digest is 16: the lengths tell them apart, so running it twice, or
after codes were already made hashed, changes nothing.
"""

from django.db import migrations


def hash_plain_codes(apps, schema_editor):
    from pilar.accounts.mfa import recovery_digest

    StaticToken = apps.get_model("otp_static", "StaticToken")
    for token in StaticToken.objects.exclude(token__regex=r"^.{16}$").iterator():
        token.token = recovery_digest(token.token)
        token.save(update_fields=["token"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_login_sessions"),
        ("otp_static", "0003_add_timestamps"),
    ]
    operations = [migrations.RunPython(hash_plain_codes, migrations.RunPython.noop)]
