"""delay and inspect: explanations for analysts, and one-line errors on bad input."""

import json
import shutil


def test_delay_explains_sunday_inquiry_as_a_timeline(cli, corpus_dir):
    code, out, err = cli(
        "delay", "--campaign", corpus_dir / "campaign.toml", "--dealer", "montverac",
        "--from", "2026-06-07T15:00:00+02:00", "--to", "2026-06-08T11:30:00+02:00",
    )
    assert code == 0, err
    assert "(closed)" in out and "clock starts Mon" in out and "150 open minutes" in out
    assert "within 1 working day" in out and "policy open-hours" in out


def test_delay_json_gives_minutes_bucket_policy_intervals(cli, corpus_dir):
    code, out, _ = cli(
        "delay", "--campaign", corpus_dir / "campaign.toml", "--dealer", "valbreze",
        "--from", "2026-05-13T17:00:00+02:00", "--to", "2026-05-15T11:00:00+02:00", "--format", "json",
    )
    assert code == 0
    payload = json.loads(out)
    assert payload["policy"] == "open-hours" and payload["bucket"] is not None
    assert payload["open_minutes"] == sum(i["minutes"] for i in payload["intervals"])


def test_delay_naive_instant_and_unknown_dealer_are_one_line_errors(cli, corpus_dir):
    code, _, err = cli("delay", "--campaign", corpus_dir / "campaign.toml", "--dealer", "montverac",
                       "--from", "2026-06-07T15:00:00", "--to", "2026-06-08T11:30:00+02:00")
    assert code != 0 and "offset" in err and "Traceback" not in err
    code, _, err = cli("delay", "--campaign", corpus_dir / "campaign.toml", "--dealer", "nulle-part",
                       "--from", "2026-06-07T15:00:00+02:00", "--to", "2026-06-08T11:30:00+02:00")
    assert code != 0 and "nulle-part" in err and "montverac" in err


def test_delay_usage_mistakes_exit_2_as_the_readme_says(cli, corpus_dir):
    campaign = corpus_dir / "campaign.toml"
    good_from, good_to = "2026-06-07T15:00:00+02:00", "2026-06-08T11:30:00+02:00"
    mistakes = {
        "unknown dealer": ["--campaign", campaign, "--dealer", "nulle-part", "--from", good_from, "--to", good_to],
        "missing --to": ["--campaign", campaign, "--dealer", "montverac", "--from", good_from],
        "no UTC offset": ["--campaign", campaign, "--dealer", "montverac", "--from", "2026-06-07T15:00:00", "--to", good_to],
        "not an instant": ["--campaign", campaign, "--dealer", "montverac", "--from", "mardi", "--to", good_to],
        "no campaign": ["--dealer", "montverac", "--from", good_from, "--to", good_to],
    }
    for name, args in mistakes.items():
        code, _, err = cli("delay", *args)
        assert code == 2, f"{name}: exit {code}: {err}"
        assert "Fix:" in err and "Traceback" not in err, name


def test_delay_instants_outside_the_supported_years_are_a_usage_error(cli, corpus_dir):
    code, out, err = cli(
        "delay", "--campaign", corpus_dir / "campaign.toml", "--dealer", "montverac",
        "--from", "0001-01-01T00:00:00+00:00", "--to", "9999-12-31T23:59:59+00:00",
    )
    assert code == 2
    assert "Traceback" not in err and out == ""
    assert "--from" in err and "0001-01-01" in err and "1970" in err and "2100" in err


def test_delay_explains_a_case_of_the_store(cli, corpus_dir, tmp_path):
    db = tmp_path / "db.sqlite3"
    assert cli("replay", corpus_dir, "--database", db)[0] == 0
    code, out, err = cli("delay", "--case", "c14-montverac-dispo-nx", "--database", db)
    assert code == 0, err
    assert "question 1" in out and "open minutes" in out and "question 8" in out


def test_inspect_shows_new_text_quote_and_signature(cli, corpus_dir):
    path = next((corpus_dir / "cases" / "c01-montverac-prix-nx").glob("02-*.eml"))
    code, out, err = cli("inspect", path, "--format", "json")
    assert code == 0, err
    payload = json.loads(out)
    assert "56 450" in payload["body"]
    assert "Conseiller commercial" in payload["signature"]
    assert "Je m'intéresse au Lexus NX 350h" in payload["quoted"]
    assert payload["classification"]["kind"] == "personalised"


def test_inspect_with_case_shows_each_check(cli, corpus_dir):
    folder = corpus_dir / "cases" / "c01-montverac-prix-nx"
    code, out, err = cli("inspect", next(folder.glob("02-*.eml")), "--case", folder)
    assert code == 0, err
    assert "checks" in out and "proposed_call" in out and "«" in out


def test_inspect_case_with_broken_case_toml_names_the_syntax_error(cli, corpus_copy):
    case = corpus_copy / "cases" / "c10-corvignac-gamme"
    (case / "case.toml").write_text((case / "case.toml").read_text() + "dealer = = \n")
    code, _, err = cli("inspect", case / "03-reponse.eml", "--case", case)
    assert code == 2 and "Traceback" not in err
    assert f"{case / 'case.toml'}: expected valid TOML, found a syntax error" in err
    assert "expected a case of the corpus" not in err and "03-reponse.eml" not in err


def test_inspect_case_with_an_unknown_dealer_names_case_toml_and_the_key(cli, corpus_copy):
    case = corpus_copy / "cases" / "c10-corvignac-gamme"
    text = (case / "case.toml").read_text()
    (case / "case.toml").write_text(text.replace('dealer = "corvignac"', 'dealer = "nulle-part"'))
    code, _, err = cli("inspect", case / "03-reponse.eml", "--case", case)
    assert code == 2
    assert f"{case / 'case.toml'}: dealer" in err and "nulle-part" in err


def test_inspect_case_that_is_no_case_folder_says_so(cli, corpus_dir, tmp_path):
    eml = next((corpus_dir / "cases" / "c01-montverac-prix-nx").glob("02-*.eml"))
    code, _, err = cli("inspect", eml, "--case", "/no/case")
    assert code == 2
    assert "--case /no/case" in err and "no such folder" in err and "campaign.toml" not in err
    code, _, err = cli("inspect", eml, "--case", eml)
    assert code == 2 and "found a file" in err
    for folder in (corpus_dir, corpus_dir / "cases"):
        code, _, err = cli("inspect", eml, "--case", folder)
        assert code == 2 and "found a folder of 24 case(s)" in err and "c01-montverac-prix-nx" in err
    lone = tmp_path / "lone-case"
    shutil.copytree(corpus_dir / "cases" / "c01-montverac-prix-nx", lone)
    code, _, err = cli("inspect", eml, "--case", lone)
    assert code == 2
    assert "inside a corpus" in err and "Fix:" in err


def test_inspect_case_with_its_own_id_in_case_toml_runs_the_checks(cli, corpus_copy):
    case = corpus_copy / "cases" / "c01-montverac-prix-nx"
    (case / "case.toml").write_text('id = "c01-autre-id"\n' + (case / "case.toml").read_text())
    code, out, err = cli("inspect", next(case.glob("02-*.eml")), "--case", case)
    assert code == 0, err
    assert "checks (as if this were the first personalised reply):" in out


def test_inspect_unreadable_file_is_one_line_without_traceback(cli, tmp_path):
    bad = tmp_path / "garbage.eml"
    bad.write_bytes(b"\x00\xff\x00\xfe" * 100)
    code, _, err = cli("inspect", bad)
    assert code != 0 and "garbage.eml" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    code, _, err = cli("inspect", tmp_path / "absent.eml")
    assert code != 0 and "absent.eml" in err


def test_rules_check_passes_on_bundled_rules(cli):
    code, out, _ = cli("rules", "check")
    assert code == 0
    assert "13 questions, 29 points" in out and out.count("ok") >= 2


def test_rules_check_reports_a_broken_rule_with_its_id(cli, tmp_path):
    import shutil
    from pathlib import Path

    rules = Path(__file__).resolve().parents[1] / "rules"
    for path in rules.glob("*.toml"):
        shutil.copy(path, tmp_path / path.name)
    target = tmp_path / "q06_proposed_call.toml"
    text = target.read_text()
    target.write_text(text.replace('id = "', 'id = "NOT AN ID ', 1))
    code, out, err = cli("rules", "check", tmp_path)
    assert code == 2
    assert "q06_proposed_call.toml" in out + err and "NOT AN ID" in out + err


def test_rules_check_reports_scorecard_and_rule_problems_together(cli, tmp_path):
    import shutil
    from pathlib import Path

    rules = Path(__file__).resolve().parents[1] / "rules"
    for path in rules.glob("*.toml"):
        shutil.copy(path, tmp_path / path.name)
    card = tmp_path / "scorecard.toml"
    card.write_text(card.read_text().replace("max_points = 29", "max_points = 30"))
    target = tmp_path / "q06_proposed_call.toml"
    target.write_text(target.read_text().replace('id = "', 'id = "NOT AN ID ', 1))
    code, out, err = cli("rules", "check", tmp_path)
    assert code == 2
    assert "add up to 30" in out and "NOT AN ID" in out + err


def test_config_check_warns_what_scan_would_refuse(cli, tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text('[mailbox]\nauth = "oauth2"\n')
    code, out, _ = cli("config", "check", path)
    assert code == 0
    assert "host is empty" in out and "oauth2_token_command" in out and "campaign is not set" in out


def test_config_check_reports_missing_rules_and_dst_hours_together(cli, tmp_path):
    from pathlib import Path

    example = (Path(__file__).resolve().parents[1] / "campaign.example.toml").read_text()
    campaign = tmp_path / "campaign.toml"
    campaign.write_text(example.replace("[dealers.hours]\nmon", '[dealers.hours]\nsun = ["02:00-03:00"]\nmon', 1))
    settings = tmp_path / "settings.toml"
    settings.write_text(f'rules_dir = "{tmp_path / "no-rules"}"\ncampaign = "{campaign}"\n')
    code, _, err = cli("config", "check", settings)
    assert code == 2
    assert f'rules_dir = "{tmp_path / "no-rules"}"' in err and "no such path" in err
    assert "02:00-03:00" in err and "does not exist" in err and "exists twice" in err


def test_config_check_warns_that_a_campaign_without_inquiries_matches_nothing(cli, tmp_path):
    # A new user's first scan used the corpus campaign.toml (dealers, no inquiries):
    # config check said ok, and all 67 replies went to the unmatched queue.
    from pathlib import Path

    corpus_campaign = Path(__file__).resolve().parents[1] / "fixtures" / "corpus" / "campaign.toml"
    settings = tmp_path / "settings.toml"
    settings.write_text(f'campaign = "{corpus_campaign}"\n')
    code, out, _ = cli("config", "check", settings)
    assert code == 0
    assert "0 inquiry(ies)" in out
    assert "warning: campaign" in out and "no inquiries" in out and "[[inquiries]]" in out
