"""French wording of times and measured delays for the review page and the exports.

The clock explains a delay in English for logs and the CLI; a reviewer reads the same
count here, built from the structured Timing (start, end, intervals, bucket, policy),
e.g. "Envoyée le lun. 16/03 à 10:05 → réponse le lun. 16/03 à 11:12 : 68 minutes
d'ouverture, sous 2 heures (règle heures d'ouverture, journée ouvrée de 480 min)".
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from replyaudit.models import Timing

# Times on the page are French local times unless a dealer's own zone is known.
DISPLAY_ZONE = ZoneInfo("Europe/Paris")

DAYS = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")
BUCKET_FR = {
    "within_2h": "sous 2 heures",
    "within_1_working_day": "sous 1 jour ouvré",
    "within_2_working_days": "sous 2 jours ouvrés",
    "none_within_2_working_days": "pas sous 2 jours ouvrés",
}
POLICY_FR = {"open-hours": "heures d'ouverture", "calendar": "calendaire"}
# (start word, end word) of the two delays the scorecard measures.
ENDPOINTS_FR = {
    "response_time": ("Envoyée le", "réponse le"),
    "follow_up": ("Première réponse le", "relance le"),
}


def french_datetime(instant: datetime | str | None, zone: tzinfo = DISPLAY_ZONE) -> str:
    """16/03/2026 11:12 in `zone`; an ISO text (as the store keeps times) is accepted."""
    if instant is None or instant == "":
        return ""
    if isinstance(instant, str):
        try:
            instant = datetime.fromisoformat(instant)
        except ValueError:
            return str(instant)
    if instant.tzinfo is None:
        # The store writes UTC; a naive text can only come from an older database.
        instant = instant.replace(tzinfo=ZoneInfo("UTC"))
    return instant.astimezone(zone).strftime("%d/%m/%Y %H:%M")


def short_day(instant: datetime, zone: tzinfo) -> str:
    """lun. 16/03 in `zone`."""
    local = instant.astimezone(zone)
    return f"{DAYS[local.weekday()]} {local:%d/%m}"


def _clock(instant: datetime, zone: tzinfo) -> str:
    return instant.astimezone(zone).strftime("%H:%M")


def minutes_fr(minutes: float) -> str:
    """67.6 -> '68': whole minutes, as a reviewer counts them."""
    return f"{round(minutes):d}"


def timing_sentence(timing: Timing, key: str, zone: tzinfo) -> str:
    """One French sentence saying from when to when the delay ran and how it counts."""
    start_word, end_word = ENDPOINTS_FR.get(key, ("Début le", "fin le"))
    bucket = BUCKET_FR.get(timing.bucket or "", "délai indéterminé (horloge décalée)")
    policy = POLICY_FR.get(timing.policy, timing.policy)
    return (
        f"{start_word} {short_day(timing.start, zone)} à {_clock(timing.start, zone)}"
        f" → {end_word} {short_day(timing.end, zone)} à {_clock(timing.end, zone)} : "
        f"{minutes_fr(timing.open_minutes)} minutes d'ouverture, {bucket} "
        f"(règle {policy}, journée ouvrée de {timing.working_day_minutes} min)"
    )


def timing_intervals(timing: Timing, zone: tzinfo) -> list[str]:
    """The stretches the clock counted: 'lun. 16/03 10:05 – 11:12 : 68 min'."""
    lines = []
    for interval in timing.intervals:
        same_day = short_day(interval.start, zone) == short_day(interval.end, zone)
        end = (
            _clock(interval.end, zone)
            if same_day
            else f"{short_day(interval.end, zone)} {_clock(interval.end, zone)}"
        )
        lines.append(
            f"{short_day(interval.start, zone)} {_clock(interval.start, zone)} – "
            f"{end} : {minutes_fr(interval.minutes)} min"
        )
    return lines
