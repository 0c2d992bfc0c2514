"""Control characters a workbook cannot hold (a pasted vertical tab...) never break the XLSX."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from test_web_support import CAMPAIGN, case_url, post_form

pytest_plugins = ["test_web_support"]


def test_export_xlsx_writes_control_characters_as_spaces(scorecard):
    """\\x01 and Word's line break \\x0b become spaces instead of failing the workbook."""
    from replyaudit.export import ExportRow
    from replyaudit.export_files import write_xlsx

    row = ExportRow(
        campaign=CAMPAIGN,
        inquiry_id="i-1",
        dealer_id="d-1",
        dealer_name="Lex\x00us",
        wave=None,
        status="approved",
        total=7,
        delay_minutes=None,
        evidence="abc\x01def\x0bghi\nnext line",
    )
    buffer = io.BytesIO()
    write_xlsx([row], scorecard, buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue()))["Scorecards"]
    values = {str(t.value): c.value for t, c in zip(sheet[1], sheet[2], strict=True)}
    assert values["Preuves"] == "abc def ghi\nnext line"
    assert values["Nom de la concession"] == "Lex us"


def test_web_xlsx_export_survives_a_comment_with_control_characters(client, scorecard):
    """A review comment pasted with a vertical tab still exports (it was an HTTP 500)."""
    question = scorecard.questions[1]
    post_form(
        client,
        case_url(),
        case_url() + f"/reponse/{question.key}",
        {"valeur": [question.options[0].id], "commentaire": "vu\x0bau téléphone"},
    )
    response = client.get("/export.xlsx?tout=1")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
