"""Set-up for bench/import_freeze.py, run with the code and database under test: a
reader's account, a curator's session (as after a login with TOTP) and the SYNTHETIC
import file. Prints the session key and the file's path."""

from __future__ import annotations

import sys
from pathlib import Path

import django

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_speed import OUT, synthetic_file  # noqa: E402

PASSWORD = "synthetic benchmark password"

reader = User.objects.create_user("leser@example.org", "leser@example.org", PASSWORD)
EmailAddress.objects.create(user=reader, email=reader.email, verified=True, primary=True)
curator = User.objects.create_superuser("kurator@example.org", "kurator@example.org", PASSWORD)
EmailAddress.objects.create(user=curator, email=curator.email, verified=True, primary=True)
TOTP.activate(curator, generate_totp_secret())
session = SessionStore()
session[SESSION_KEY] = str(curator.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = curator.get_session_auth_hash()
session["clusterportal_totp_user"] = curator.pk  # accounts/two_factor.py
session.create()
path = OUT / f"freeze-{sys.argv[1]}.csv"
synthetic_file(path, int(sys.argv[1]), seed=1)
print(session.session_key, path)
