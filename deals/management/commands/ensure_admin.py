"""Make sure a superuser exists for the person running the site, and print how to sign in.

The password is kept in a git-ignored file so a second `make run` prints the same
sign-in; if it no longer works (changed by hand), a new one is set and printed.
"""

import os
import secrets
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create or repair the local admin account and print its sign-in."

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("ADMIN_USERNAME", "admin"))
        parser.add_argument("--password-file", default=".admin-password")

    def handle(self, *, username, password_file, **options):
        path = Path(password_file)
        password = os.environ.get("ADMIN_PASSWORD") or (
            path.read_text().strip() if path.exists() else ""
        )
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"is_staff": True, "is_superuser": True}
        )
        if created or not password or not user.check_password(password):
            password = password or secrets.token_urlsafe(12)
            user.set_password(password)
        user.is_staff = user.is_superuser = user.is_active = True
        user.save()
        if "ADMIN_PASSWORD" not in os.environ:
            path.write_text(password + "\n")
            path.chmod(0o600)
        port = os.environ.get("PORT", "8000")
        self.stdout.write(
            self.style.SUCCESS(
                f"\nAdmin: http://localhost:{port}/admin/  user: {username}  password: {password}\n"
            )
        )
