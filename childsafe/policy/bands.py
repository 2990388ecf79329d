"""Age bands: the unit the policy reasons in.

Rules talk about bands rather than exact ages because assurance methods give bands or ranges
("over 18", "estimated 14 to 17") far more often than exact ages. The default set follows the UK
codes (under 13, 13-15, 16-17, adult); a finer, Roblox-like set is selectable by name.
"""

from __future__ import annotations

from dataclasses import dataclass

from childsafe.errors import InvalidInput

MAX_AGE = 130
UNKNOWN_BAND = "unknown"


@dataclass(frozen=True, slots=True)
class Band:
    name: str
    min_age: int
    max_age: int | None  # None: open-ended (the top band)

    def contains(self, age: int) -> bool:
        return age >= self.min_age and (self.max_age is None or age <= self.max_age)


BAND_PRESETS: dict[str, tuple[tuple[str, int], ...]] = {
    # name, lowest age in the band; each band ends where the next starts.
    "default": (("under_13", 0), ("13-15", 13), ("16-17", 16), ("18+", 18)),
    # Roblox's age-check groups (under 9, 9-12, 13-15, 16-17, 18-20, 21+).
    "roblox": (("under_9", 0), ("9-12", 9), ("13-15", 13), ("16-17", 16), ("18-20", 18), ("21+", 21)),
}


class BandScheme:
    """An ordered, gap-free set of bands from age 0 upwards, plus the adult age.

    ``band_index(age)`` is a list lookup so that resolving a person's band costs nothing in
    the hot path of a policy check.
    """

    def __init__(self, bands: list[tuple[str, int]] | tuple[tuple[str, int], ...], adult_age: int = 18,
                 *, preset: str | None = None) -> None:
        if not bands:
            raise InvalidInput("bands: at least one band is needed", code="bad_policy")
        names = [b[0] for b in bands]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise InvalidInput(f"bands: duplicate band name(s): {', '.join(dupes)}", code="bad_policy")
        if UNKNOWN_BAND in names:
            raise InvalidInput(f"bands: '{UNKNOWN_BAND}' is reserved for people of unknown age", code="bad_policy")
        if bands[0][1] != 0:
            raise InvalidInput(f"bands: the first band must start at age 0, not {bands[0][1]}", code="bad_policy")
        mins = [b[1] for b in bands]
        for prev, nxt in zip(mins, mins[1:]):
            if nxt <= prev:
                raise InvalidInput("bands: band start ages must increase strictly", code="bad_policy")
        if mins[-1] > MAX_AGE:
            raise InvalidInput(f"bands: a band starts above age {MAX_AGE}", code="bad_policy")
        if adult_age not in mins:
            raise InvalidInput(
                f"bands: adult_age {adult_age} must be where a band starts (band starts: {mins})", code="bad_policy"
            )
        self.preset = preset
        self.adult_age = adult_age
        self.bands: tuple[Band, ...] = tuple(
            Band(name, lo, (mins[i + 1] - 1) if i + 1 < len(mins) else None) for i, (name, lo) in enumerate(bands)
        )
        self.names: tuple[str, ...] = tuple(names)
        self._by_name = {b.name: i for i, b in enumerate(self.bands)}
        self._by_age: list[int] = []
        idx = 0
        for age in range(MAX_AGE + 1):
            while idx + 1 < len(mins) and age >= mins[idx + 1]:
                idx += 1
            self._by_age.append(idx)
        self.first_adult_index = self._by_name[names[mins.index(adult_age)]]

    def __len__(self) -> int:
        return len(self.bands)

    def band_index(self, age: int) -> int:
        return self._by_age[age]

    def index_of(self, name: str) -> int:
        try:
            return self._by_name[name]
        except KeyError:
            raise InvalidInput(f"unknown age band {name!r} (bands: {', '.join(self.names)})", code="unknown_band") from None

    def band_for(self, age: int | None) -> str:
        return UNKNOWN_BAND if age is None else self.names[self._by_age[check_age(age)]]

    def is_adult_index(self, index: int) -> bool:
        return index >= self.first_adult_index

    def index_for_range(self, low: int | None, high: int | None) -> int | None:
        """The band a checked age range establishes, or None when it does not establish one.

        A range inside one band gives that band. A range wholly at or over the adult age gives the
        lowest adult band it touches (the person is an adult either way). A range that straddles
        bands below the adult age, or straddles the adult age, establishes no band: the person
        keeps child protections and needs a more precise check for privileges.
        """
        lo = 0 if low is None else max(0, low)
        if high is None:
            hi_idx = len(self.bands) - 1
        else:
            hi_idx = self._by_age[min(max(high, 0), MAX_AGE)]
        lo_idx = self._by_age[min(lo, MAX_AGE)]
        if lo_idx == hi_idx:
            return lo_idx
        if self.is_adult_index(lo_idx):
            return lo_idx
        return None

    def describe(self) -> list[dict]:
        return [{"name": b.name, "min_age": b.min_age, "max_age": b.max_age} for b in self.bands]


def check_age(age: object, what: str = "age") -> int:
    """An age in whole years, 0..130; anything else is a clear error rather than a silent guess."""
    if isinstance(age, bool) or not isinstance(age, int):
        raise InvalidInput(f"{what} must be a whole number of years, got {age!r}", code="bad_age")
    if age < 0:
        raise InvalidInput(f"{what} must not be negative, got {age}", code="bad_age")
    if age > MAX_AGE:
        raise InvalidInput(f"{what} {age} is not a plausible human age (max {MAX_AGE})", code="bad_age")
    return age
