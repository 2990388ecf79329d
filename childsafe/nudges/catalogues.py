"""Keep the gettext catalogues in step with ``messages.py`` (Babel), so translators work on .po files.

    python -m childsafe.nudges.catalogues            # template, merge into every .po, compile .mo
    python -m childsafe.nudges.catalogues init cy    # start a new language

The compiled .mo files are committed, so a clean clone works without running this.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from childsafe.nudges import DOMAIN, LOCALE_DIR
from childsafe.nudges.messages import all_msgids

POT = LOCALE_DIR / f"{DOMAIN}.pot"


def template() -> Catalog:
    catalog = Catalog(project="childsafe", domain=DOMAIN, charset="utf-8")
    for msgid in all_msgids():
        catalog.add(msgid, locations=[("childsafe/nudges/messages.py", 0)])
    return catalog


def po_paths() -> list[Path]:
    return sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def compile_po(po: Path) -> bytes:
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=po.parent.parent.name, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def update() -> None:
    pot = template()
    LOCALE_DIR.mkdir(parents=True, exist_ok=True)
    with POT.open("wb") as fh:
        write_po(fh, pot, omit_header=False, no_location=True, width=100)
    for po in po_paths():
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=po.parent.parent.name, domain=DOMAIN)
        catalog.update(pot, no_fuzzy_matching=True)
        with po.open("wb") as fh:
            write_po(fh, catalog, no_location=True, width=100, ignore_obsolete=True)
        po.with_suffix(".mo").write_bytes(compile_po(po))
        print(f"{po}: {sum(1 for m in catalog if m.id and m.string)}/{len(pot)} translated")


def init(locale: str) -> None:
    po = LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    po.parent.mkdir(parents=True, exist_ok=True)
    catalog = template()
    catalog.locale = locale  # type: ignore[assignment]
    with po.open("wb") as fh:
        write_po(fh, catalog, no_location=True, width=100)
    update()


if __name__ == "__main__":
    if sys.argv[1:2] == ["init"] and len(sys.argv) == 3:
        init(sys.argv[2])
    else:
        update()
