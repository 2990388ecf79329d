"""Free, confidential helplines for children, per country; a platform can add or replace its own."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Helpline:
    name: str
    number: str | None
    url: str

    def to_dict(self) -> dict:
        return asdict(self)


# Public helpline numbers, as published by each service.
HELPLINES: dict[str, Helpline] = {
    "GB": Helpline("Childline", "0800 1111", "https://www.childline.org.uk"),
    "IE": Helpline("Childline (ISPCC)", "1800 66 66 66", "https://www.childline.ie"),
    "US": Helpline("Childhelp", "1-800-422-4453", "https://www.childhelphotline.org"),
    "CA": Helpline("Kids Help Phone", "1-800-668-6868", "https://kidshelpphone.ca"),
    "AU": Helpline("Kids Helpline", "1800 55 1800", "https://kidshelpline.com.au"),
    "DE": Helpline("Nummer gegen Kummer", "116 111", "https://www.nummergegenkummer.de"),
    "FR": Helpline("Allô Enfance en Danger", "119", "https://www.allo119.gouv.fr"),
}
# Where a country has no entry: Child Helpline International lists the helpline of every country.
FALLBACK = Helpline("a child helpline", None, "https://childhelplineinternational.org/helplines/")


def helpline_for(country: str | None, overrides: dict[str, Helpline] | None = None) -> Helpline:
    code = (country or "").upper()
    if overrides and code in overrides:
        return overrides[code]
    return HELPLINES.get(code, FALLBACK)
