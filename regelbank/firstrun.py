"""What a fresh installation needs to say: are there users yet, and what to do next."""
from __future__ import annotations

import sqlalchemy as sa

from store import Store


def has_users(store: Store) -> bool:
    """True when at least one person can log in. (A read-only count; the store has no call for it.)"""
    from store.schema import users
    with store._read() as conn:
        return conn.execute(sa.select(users.c.username).limit(1)).first() is not None


def banner(url: str, rulesets: int, published_now: list[str], users: bool) -> str:
    """The lines `regelbank serve` prints before serving."""
    lines = [f"Regelbank: {url}",
             f"  {rulesets} regelset(s) beschikbaar"
             + (f", waarvan {len(published_now)} nu gepubliceerd uit spreadsheets/." if published_now else ".")]
    if users:
        lines.append(f"  Inloggen: {url}inloggen")
    else:
        lines += [f"  Nog geen gebruikers: open {url} en maak de eerste beheerder aan,",
                  "  of op de console: .venv/bin/regelbank user create --username <naam> --role editor"]
    lines += [f"  Openbare regelcatalogus (zonder inloggen): {url}openbaar",
              "  Console-opdrachten staan in .venv/bin/ (bijvoorbeeld .venv/bin/regelbank --help). Stoppen: Ctrl+C."]
    return "\n".join(lines)
