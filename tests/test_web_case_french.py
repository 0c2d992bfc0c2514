"""The case page reads in French: audit trail labels and local times, timing evidence,
technical notes tucked away in a collapsed "Détail technique"; the favicon is served."""

from __future__ import annotations

import html as htmllib
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from test_web_support import case_url, post_form

pytest_plugins = ["test_web_support"]

# English of the clock and the checks that must not be visible on the page.
ENGLISH = re.compile(
    r"open minutes|\bsent (Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b|within 2 hours|"
    r"no later personalised message|\bpolicy open-hours\b|changed by"
)


def _visible(html: str) -> str:
    """The page's text without its collapsed technical details, entities decoded."""
    return htmllib.unescape(
        re.sub(r'<details class="technical">.*?</details>', "", html, flags=re.DOTALL)
    )


def _audit_rows(html: str) -> list[str]:
    table = html.split('<table class="audit">')[1].split("</table>")[0]
    return re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.DOTALL)


def test_web_audit_trail_shows_labels_question_and_local_time(client):
    """A change reads as option labels, the question's number and text, a Paris time."""
    post_form(
        client,
        case_url(),
        case_url() + "/reponse/other_help",
        {"valeur": "never", "commentaire": "relu"},
    )
    html = client.get(case_url()).get_data(as_text=True)
    (row,) = _audit_rows(htmllib.unescape(html))
    assert "Oui dans la réponse initiale" in row
    assert "Non, le conseiller ne demande jamais" in row
    assert '"never"' not in row and '"initial"' not in row
    assert "Q11. Le conseiller commercial a-t-il vérifié" in row
    assert "other_help" not in row
    stamp = re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d", row)
    assert stamp, row
    shown = datetime.strptime(stamp.group(0), "%d/%m/%Y %H:%M").replace(
        tzinfo=ZoneInfo("Europe/Paris")
    )
    assert abs(datetime.now(UTC) - shown) < timedelta(minutes=2)
    assert not re.search(r"\d{4}-\d\d-\d\dT", row)


def test_web_french_datetime_formats_in_paris_time():
    """An instant in UTC is shown in Paris time, day/month/year hour:minute."""
    from replyaudit.web.timing_fr import french_datetime

    instant = datetime(2026, 3, 16, 10, 12, 30, tzinfo=UTC)
    assert french_datetime(instant) == "16/03/2026 11:12"
    assert french_datetime("2026-07-01T08:00:00+00:00") == "01/07/2026 10:00"


def test_web_timing_evidence_is_french(client):
    """Q1's evidence is the French sentence built from the Timing, with its intervals."""
    html = client.get(case_url()).get_data(as_text=True)
    q1 = html.split('id="q-response_time"')[1].split("</article>")[0]
    visible = _visible(q1)
    assert (
        "Envoyée le lun. 16/03 à 10:05 → réponse le lun. 16/03 à 11:12 : "
        "68 minutes d'ouverture, sous 2 heures (règle heures d'ouverture, "
        "journée ouvrée de 480 min)"
    ) in visible
    assert "lun. 16/03 10:05 – 11:12 : 68 min" in visible
    assert not ENGLISH.search(visible), ENGLISH.search(visible)


def test_web_follow_up_timing_is_french(client):
    """A case with a follow-up shows the Q8 delay from the first reply, in French."""
    html = client.get(case_url("c03-brumelsheim-delai-ux")).get_data(as_text=True)
    q8 = _visible(html.split('id="q-follow_up"')[1].split("</article>")[0])
    assert "Première réponse le" in q8 and "relance le" in q8
    assert "minutes d'ouverture" in q8


def test_web_case_page_hides_english_notes_in_technical_detail(client):
    """English notes and rule ids sit only in a collapsed "Détail technique" block."""
    post_form(
        client,
        case_url(),
        case_url() + "/reponse/other_help",
        {"valeur": "never", "commentaire": "relu"},
    )
    html = client.get(case_url()).get_data(as_text=True)
    scorecard = html.split('aria-label="Grille"')[1].split("Historique")[0]
    assert not ENGLISH.search(_visible(scorecard)), ENGLISH.search(_visible(scorecard))
    details = re.findall(
        r'<details class="technical">(.*?)</details>', scorecard, re.DOTALL
    )
    assert len(details) == 13
    assert all("<summary>Détail technique</summary>" in d for d in details)
    q8 = html.split('id="q-follow_up"')[1].split("</article>")[0]
    assert "q8.no_follow_up" in q8 and "no later personalised message" in q8
    assert "q8.no_follow_up" not in _visible(q8)
    assert "modifiée par" in _visible(
        html.split('id="q-other_help"')[1].split("</article>")[0]
    )


def test_web_favicon_is_served_and_linked(client):
    """/favicon.ico answers 200 with an image; the layout links a same-origin icon."""
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype.startswith("image/")
    assert len(response.data) > 0
    html = client.get("/").get_data(as_text=True)
    link = re.search(r'<link rel="icon"[^>]*href="([^"]+)"', html)
    assert link and link.group(1).startswith("/static/")
    icon = client.get(link.group(1))
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    assert b"<script" not in icon.data and b"style" not in icon.data
