"""Rule files: validation reports every problem at once; contact and signature checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from replyaudit.campaign import Campaign, Inquiry
from replyaudit.checks import check_rules, load_rules, run_checks
from replyaudit.checks.rules import compile_pattern
from replyaudit.context import CaseContext
from replyaudit.errors import ScorecardError
from replyaudit.models import ParsedMessage

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "fixtures" / "checks" / "bad_rules"


@pytest.fixture(scope="session")
def campaign():
    return Campaign.model_validate(
        {
            "brand": {"name": "Lexus", "keywords": ["lexus"], "domains": ["lexus.fr"]},
            "dealers": [
                {
                    "id": "ex",
                    "name": "Lexus Exempleville",
                    "domains": ["lexus-exempleville.fr", "groupe-exemple.fr"],
                }
            ],
        }
    )


def test_checks_rules_project_files_are_valid():
    lines = check_rules(ROOT / "rules")
    assert len(lines) == 1 and lines[0].startswith("ok: ")


def test_checks_rules_every_problem_listed_at_once():
    with pytest.raises(ScorecardError) as info:
        load_rules(BAD)
    text = str(info.value)
    for needle in (
        "'q6.dup'",
        "also defined",
        "'colour'",
        "{0,40}",
        "app$l",
        "'q6.no_note'",
        "'maybe'",
    ):
        assert needle in text
    assert len(info.value.problems) >= 6


def test_checks_rules_pattern_compiles_to_matcher_tokens():
    pattern = compile_pattern("~appeler vous|te? {0,2} appel*")
    assert pattern[0] == {"_": {"flemma": "appeler"}}
    assert pattern[1]["OP"] == "?" and pattern[2] == {"OP": "{0,2}"}
    assert pattern[3]["_"]["fold"]["REGEX"].startswith("^(?:appel")


def _ctx(campaign, body="Bonjour.", signature="", **fields):
    data = {
        "sha256": "a" * 64,
        "from_addr": "p.martin@lexus-exempleville.fr",
        "body": body,
        "signature": signature,
        "signature_status": "present" if signature else "absent",
    }
    data.update(fields)
    inquiry = Inquiry(id="i1", dealer="ex", shopper="a@example-shopper.fr")
    return CaseContext(
        campaign, inquiry, campaign.dealer("ex"), None, [ParsedMessage(**data)]
    )


@pytest.mark.parametrize(
    "sender,expected",
    [
        ("a@lexus-exempleville.fr", "yes"),
        ("a@ventes.lexus.fr", "yes"),
        ("a@plexus.fr", "no"),
        ("a@lexusauto.fr", "no"),
        ("jean.lexus@gmail.com", "no"),
        ("a@groupe-exemple.fr", "no"),
    ],
)
def test_checks_brand_address_domain(campaign, scorecard, rules, sender, expected):
    answer = run_checks(_ctx(campaign, from_addr=sender), scorecard, rules)[
        "brand_address"
    ]
    assert answer.value == expected


def test_checks_brand_address_relay_judged_by_reply_to(campaign, scorecard, rules):
    ctx = _ctx(
        campaign,
        from_addr="dealer123@mailjet.com",
        reply_to=["p.martin@lexus-exempleville.fr"],
    )
    answer = run_checks(ctx, scorecard, rules)["brand_address"]
    assert answer.value == "yes" and len(answer.evidence) == 2


@pytest.mark.parametrize(
    "signature,expected",
    [
        ("Paul Martin\nLexus Exempleville", "yes"),
        ("Paul Martin\nLexus & Peugeot Exempleville", "no"),
        ("Paul Martin\nConcession Lexus · Citroen · DS", "no"),
        (
            "Paul Martin\nLexus Exempleville\nDécouvrez Lexus Relax, la garantie jusqu'à 10 ans",
            "yes",
        ),
    ],
)
def test_checks_brand_only_signature(campaign, scorecard, rules, signature, expected):
    body = "Votre Renault Clio sera reprise 6 000 €."
    answer = run_checks(
        _ctx(campaign, body=body, signature=signature), scorecard, rules
    )["brand_only_signature"]
    assert answer.value == expected


def test_checks_brand_only_signature_legal_footer_flagged(campaign, scorecard, rules):
    signature = "Paul Martin\nLexus Exempleville\nSAS Exemple Autos (Lexus, Toyota) au capital de 100 000 € - RCS Exempleville"
    answer = run_checks(_ctx(campaign, signature=signature), scorecard, rules)[
        "brand_only_signature"
    ]
    assert answer.value == "no" and answer.needs_review


def test_checks_brand_only_signature_image_needs_review(campaign, scorecard, rules):
    ctx = _ctx(campaign, signature="", signature_status="image_only")
    answer = run_checks(ctx, scorecard, rules)["brand_only_signature"]
    assert answer.needs_review


@pytest.mark.parametrize(
    "signature,sender,expected",
    [
        (
            "Paul Martin\nConseiller commercial\nPortable : +33 6 12 34 56 78\np.martin@lexus-exempleville.fr",
            "p.martin@lexus-exempleville.fr",
            ["name", "phone", "email"],
        ),
        (
            "L'équipe commerciale\nLexus Exempleville\nStandard : 01 23 45 67 00\nFax : 01 23 45 67 01\ncontact@lexus-exempleville.fr",
            "contact@lexus-exempleville.fr",
            [],
        ),
        (
            "Jeanne Le Gall\nAccueil : 01.23.45.67.00",
            "info@lexus-exempleville.fr",
            ["name"],
        ),
        (
            "Votre conseiller\nLigne directe 0123456711",
            "no-reply@lexus-exempleville.fr",
            ["phone"],
        ),
    ],
)
def test_checks_advisor_contact(
    campaign, scorecard, rules, signature, sender, expected
):
    answer = run_checks(
        _ctx(campaign, signature=signature, from_addr=sender), scorecard, rules
    )["advisor_contact"]
    assert answer.value == expected


def test_checks_advisor_contact_shared_address_declared_own(campaign, scorecard, rules):
    body = (
        "Le prix est de 40 000 €. Vous pouvez me répondre directement à cette adresse."
    )
    ctx = _ctx(campaign, body=body, from_addr="vente2@lexus-exempleville.fr")
    assert run_checks(ctx, scorecard, rules)["advisor_contact"].value == ["email"]


def test_checks_rules_bad_question_name_does_not_hide_the_rules_problems(tmp_path):
    # A new user's misspelt question name hid the errors of the rules below it.
    (tmp_path / "q06.toml").write_text(
        'kind = "phrases"\nquestion = "proposed_cal"\n\n'
        '[[rules]]\nid = "q6.no_note_here"\npatterns = ["appeler"]\n\n'
        '[[rules]]\nid = "q6.bad_effect"\nnote = "x"\neffect = "maybe"\npatterns = ["appeler"]\n',
        encoding="utf-8",
    )
    with pytest.raises(ScorecardError) as info:
        load_rules(tmp_path)
    text = str(info.value)
    assert "'proposed_cal'" in text
    assert "'q6.no_note_here'" in text and "'maybe'" in text
