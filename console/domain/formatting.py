"""Vietnamese and English number and date formats for KPI panels.

QLocale (QtCore) knows the separators (vi: 1.234,5; en: 1,234.5); the date patterns
are fixed per language so a printed briefing reads the same on every machine. Times
are shown in province time (`periods.province_zone()`, from the site file), the zone
the periods use, whatever the machine's own zone is.
"""

from __future__ import annotations

import math
from datetime import datetime

from PySide6.QtCore import QLocale

from console.domain.periods import Period, province_zone

_PATTERNS: dict[str, dict[str, str]] = {
    "vi": {"date": "%d/%m/%Y", "day": "%d/%m", "datetime": "%d/%m/%Y %H:%M"},
    "en": {"date": "%d %b %Y", "day": "%d %b", "datetime": "%d %b %Y %H:%M"},
}


def language() -> str:
    """The language of the default QLocale: 'vi' or 'en' (anything else reads as English)."""
    return "vi" if QLocale().language() == QLocale.Language.Vietnamese else "en"


def set_language(lang: str) -> None:
    """Make `lang` the default for numbers and dates (main.py calls it with --lang)."""
    if lang == "vi":
        QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    else:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))


def _locale(lang: str | None) -> QLocale:
    lang = lang or language()
    if lang == "vi":
        return QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)
    return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


def decimals_for(unit: str, value: float) -> int:
    """Rates keep one decimal (96.2%); counts none; small values two."""
    if unit == "%":
        return 1
    if abs(value) >= 100 or float(value).is_integer():
        return 0
    return 1 if abs(value) >= 10 else 2


def number(value: float, decimals: int | None = None, lang: str | None = None) -> str:
    if math.isnan(value):
        return "–"
    places = decimals_for("", value) if decimals is None else decimals
    return str(_locale(lang).toString(float(value), "f", places))


def quantity(value: float, unit: str, lang: str | None = None) -> str:
    """A value with its unit: '96,2%' (vi) or '1,234 reports' (en)."""
    text = number(value, decimals_for(unit, value), lang)
    if not unit:
        return text
    return f"{text}%" if unit == "%" else f"{text} {unit}"


def signed(value: float, unit: str, lang: str | None = None) -> str:
    """A change with its sign: '+0,4 điểm %' style kept short as '+0.4 pp' / '+12'."""
    text = number(abs(value), decimals_for(unit, value), lang)
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    suffix = " pp" if unit == "%" else (f" {unit}" if unit else "")
    return f"{sign}{text}{suffix}"


def local(t: float | datetime) -> datetime:
    """`t` (epoch seconds or an aware datetime) in province time."""
    zone = province_zone()
    if isinstance(t, float | int):
        return datetime.fromtimestamp(t, zone)
    return t.astimezone(zone)


def now() -> datetime:
    """The time now in the display zone (province time): every clock on the wall
    uses it, so a status bar, a chart's last bucket and a snapshot agree."""
    return datetime.now(province_zone())


def clock(t: float | datetime) -> str:
    return local(t).strftime("%H:%M")


def clock_seconds(t: float | datetime | None = None) -> str:
    return local(now() if t is None else t).strftime("%H:%M:%S")


def date(t: float | datetime, lang: str | None = None) -> str:
    return local(t).strftime(_PATTERNS[lang or language()]["date"])


def day(t: float | datetime, lang: str | None = None) -> str:
    """A day without its year: '24/11' (vi) or '24 Nov' (en)."""
    return local(t).strftime(_PATTERNS[lang or language()]["day"])


def date_time(t: float | datetime, lang: str | None = None) -> str:
    return local(t).strftime(_PATTERNS[lang or language()]["datetime"])


def bucket_label(t: float | datetime, period: Period, lang: str | None = None) -> str:
    """How a bucket of `period` is named in a table header or an axis: by its start."""
    lang = lang or language()
    moment = local(t)
    if period in (Period.LIVE, Period.DAY):
        return moment.strftime("%H:%M")
    if period in (Period.WEEK, Period.MONTH):
        return moment.strftime(_PATTERNS[lang]["day"])
    if period is Period.QUARTER:  # weekly buckets
        return moment.strftime(_PATTERNS[lang]["day"])
    if lang == "vi":
        return f"T{moment.month}/{moment.year}"
    return moment.strftime("%b %Y")


def period_label(start: float | datetime, period: Period, lang: str | None = None) -> str:
    """A calendar period named the way a report names it: '05/2026', 'Q2/2026', '2026'."""
    lang = lang or language()
    moment = local(start)
    if period in (Period.LIVE, Period.DAY):
        return date(moment, lang)
    if period is Period.WEEK:
        return date(moment, lang)
    if period is Period.MONTH:
        return f"{moment.month:02d}/{moment.year}" if lang == "vi" else moment.strftime("%b %Y")
    if period is Period.QUARTER:
        quarter = (moment.month - 1) // 3 + 1
        return f"Q{quarter}/{moment.year}" if lang == "vi" else f"Q{quarter} {moment.year}"
    return str(moment.year)
