"""Production settings pass Django's deployment checks, and every response carries the
security headers."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "p" * 30 + "roduction-key-long-and-varied-0123456789",
    "ALLOWED_HOSTS": "deals.example.org",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_SSL_REDIRECT": "1",
    "BEHIND_PROXY": "1",
    "DJANGO_SETTINGS_MODULE": "dealtracker.settings",
}


def test_production_settings_pass_check_deploy_with_no_warning():
    env = {k: v for k, v in os.environ.items() if k not in {"SECURE_COOKIES", "LOG_FORMAT"}}
    env.update(PRODUCTION)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_pages_carry_csp_frame_nosniff_referrer_and_opener_headers(client, db):
    response = client.get("/")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_api_responses_carry_the_same_headers(client, db):
    response = client.get("/api/v1/deals/")
    assert response.status_code == 200
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
