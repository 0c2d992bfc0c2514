"""replay and calibrate end to end on the bundled corpus, and on broken copies of it."""

import json
import shutil

from replyaudit.store import Store


def test_replay_prints_a_scorecard_line_for_every_case(cli, corpus_dir, tmp_path):
    code, out, err = cli("replay", corpus_dir, "--database", tmp_path / "db.sqlite3")
    assert code == 0, err
    cases = sorted(p.name for p in (corpus_dir / "cases").iterdir())
    lines = {line.split()[0]: line for line in out.splitlines() if line.startswith("c")}
    assert sorted(k for k in lines if k in cases) == cases
    assert "24 case(s) analysed" in out
    # every line carries 13 per-question points and a total out of 29
    for case in cases:
        assert "/29" in lines[case]


def test_replay_keeps_every_raw_message_and_is_idempotent(cli, corpus_dir, tmp_path):
    db = tmp_path / "db.sqlite3"
    assert cli("replay", corpus_dir, "--database", db)[0] == 0
    files = list(corpus_dir.glob("cases/*/*.eml"))
    with Store(db) as store:
        first = store.db.execute("SELECT COUNT(*) FROM raw_messages").fetchone()[0]
        raws = {bytes(r["raw"]) for r in store.db.execute("SELECT raw FROM raw_messages")}
    assert first == len({f.read_bytes() for f in files})
    assert all(f.read_bytes() in raws for f in files)
    assert cli("replay", corpus_dir, "--database", db)[0] == 0
    with Store(db) as store:
        assert store.db.execute("SELECT COUNT(*) FROM raw_messages").fetchone()[0] == first
        assert store.db.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 24


def test_replay_json_gives_answers_with_evidence_shape(cli, corpus_dir, tmp_path):
    code, out, _ = cli("replay", corpus_dir, "--database", tmp_path / "db.sqlite3", "--format", "json")
    assert code == 0
    results = json.loads(out)
    assert len(results) == 24
    for result in results:
        assert len(result["answers"]) == 13
        for answer in result["answers"].values():
            assert set(answer) >= {"value", "points", "evidence", "rule", "confidence", "needs_review"}
            assert 0.0 <= answer["confidence"] <= 1.0
        assert result["total"] == sum(a["points"] for a in result["answers"].values())


def test_calibrate_json_has_the_documented_keys(cli, corpus_dir):
    code, out, err = cli("calibrate", corpus_dir, "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert report["cases"] == 24
    assert set(report["questions"]) == {
        "response_time", "advisor_contact", "brand_address", "brand_only_signature", "answered_question",
        "proposed_call", "asked_call_time", "follow_up", "checked_clarity", "test_drive", "other_help",
        "future_contact_consent", "availability_confirmed",
    }
    for item in report["questions"].values():
        assert 0.0 <= item["agreement"] <= 1.0
        assert "confusion" in item and "kappa" in item
    assert 0.0 <= report["overall"]["agreement"] <= 1.0
    assert isinstance(report["overall"]["score_mae"], float)
    for item in report["disagreements"]:
        assert {"case", "question", "expected", "found", "evidence"} <= set(item)


def test_calibrate_min_agreement_above_reach_exits_non_zero(cli, corpus_dir):
    code, _, err = cli("calibrate", corpus_dir, "--format", "json", "--min-agreement", "1.0")
    report_code, out, _ = cli("calibrate", corpus_dir, "--format", "json")
    assert report_code == 0
    assert (code == 1) == ("below --min-agreement" in err)
    agreement = json.loads(out)["overall"]["agreement"]
    assert code == (1 if agreement < 1.0 else 0)
    code, _, _ = cli("calibrate", corpus_dir, "--format", "json", "--min-agreement", "0.0")
    assert code == 0


def test_calibrate_works_on_another_folder_in_the_same_layout(cli, corpus_copy):
    for folder in sorted((corpus_copy / "cases").iterdir())[6:]:
        shutil.rmtree(folder)
    renamed = corpus_copy.parent / "autre-vague"
    corpus_copy.rename(renamed)
    code, out, err = cli("calibrate", renamed, "--format", "json")
    assert code == 0, err
    assert json.loads(out)["cases"] == 6


def test_replay_bad_cases_are_reported_and_the_rest_still_runs(cli, corpus_copy, tmp_path):
    cases = corpus_copy / "cases"
    (cases / "c01-montverac-prix-nx" / "case.toml").unlink()
    text = (cases / "c02-montverac-dispo-rx" / "case.toml").read_text()
    (cases / "c02-montverac-dispo-rx" / "case.toml").write_text(text.replace('dealer = "montverac"', 'dealer = "nulle-part"'))
    text = (cases / "c03-brumelsheim-delai-ux" / "case.toml").read_text()
    (cases / "c03-brumelsheim-delai-ux" / "case.toml").write_text(text.replace("[expected]", 'sent_at = "mardi dernier"\n[expected]'))
    text = (cases / "c04-valbreze-reprise-chr" / "case.toml").read_text()
    (cases / "c04-valbreze-reprise-chr" / "case.toml").write_text(text.replace('brand_address = "no"', 'brand_address = "peut-être"'))
    (cases / "c05-valbreze-loa-nx" / "99-illisible.eml").write_bytes(b"\x00\x01\x02\xff" * 50)

    code, out, err = cli("replay", corpus_copy, "--database", tmp_path / "db.sqlite3")
    assert code == 1, err  # partial, as scan with rejects: everything below is still printed
    assert "20 case(s) analysed" in out
    assert "4 problem(s) in skipped cases" in out
    assert "1 message(s) rejected" in out
    assert "c01-montverac-prix-nx/case.toml" in out and "no such file" in out
    assert "nulle-part" in out
    assert "mardi dernier" in out
    assert "peut-être" in out and "expected.brand_address" in out
    assert "99-illisible.eml" in out
    assert any(line.startswith("c05-valbreze-loa-nx") for line in out.splitlines())


def test_replay_missing_corpus_folder_is_one_clear_error(cli, tmp_path):
    code, _, err = cli("replay", tmp_path / "absent", "--database", tmp_path / "db.sqlite3")
    assert code == 2  # as an empty folder: the path given is wrong
    assert "absent" in err and "Fix" in err
    assert "Traceback" not in err


def test_replay_empty_folder_and_missing_folder_exit_alike(cli, tmp_path):
    (tmp_path / "empty").mkdir()
    missing = cli("replay", tmp_path / "absent", "--database", tmp_path / "db.sqlite3")[0]
    empty = cli("replay", tmp_path / "empty", "--database", tmp_path / "db.sqlite3")[0]
    assert missing == empty == 2


def test_replay_given_the_campaign_file_says_it_is_a_file(cli, corpus_dir, tmp_path):
    code, _, err = cli("replay", corpus_dir / "campaign.toml", "--database", tmp_path / "db.sqlite3")
    assert code == 2
    assert "no such folder" not in err
    assert "found a file" in err and str(corpus_dir) in err


def test_replay_with_skipped_cases_and_rejected_messages_exits_1_in_json_too(cli, corpus_copy, tmp_path):
    cases = corpus_copy / "cases"
    (cases / "c01-montverac-prix-nx" / "case.toml").write_text("dealer = = \n")
    (cases / "c05-valbreze-loa-nx" / "99-illisible.eml").write_bytes(b"\x00\x01\x02\xff" * 50)
    code, out, err = cli("replay", corpus_copy, "--database", tmp_path / "db.sqlite3", "--format", "json")
    assert code == 1, err
    assert len(json.loads(out)) == 23
    assert "c01-montverac-prix-nx" in err and "99-illisible.eml" in err


def test_replay_help_documents_the_partial_exit(cli):
    code, out, _ = cli("replay", "--help")
    assert code == 0
    assert "Exit 1" in out and "skipped" in out and "rejected" in out


def test_replay_broken_campaign_lists_problems(cli, corpus_copy, tmp_path):
    path = corpus_copy / "campaign.toml"
    path.write_text(path.read_text().replace('timezone = "Europe/Paris"', 'timezone = "Paris"', 1))
    code, _, err = cli("replay", corpus_copy, "--database", tmp_path / "db.sqlite3")
    assert code == 2
    assert "campaign.toml" in err and "dealers[0](id='montverac').timezone" in err and "'Paris'" in err


def test_every_command_help_has_an_example(cli):
    import typer.main

    from replyaudit.cli import app

    group = typer.main.get_command(app)
    names = []

    def walk(command, prefix):
        for name, sub in getattr(command, "commands", {}).items():
            if getattr(sub, "commands", None):
                walk(sub, prefix + [name])
            else:
                names.append(prefix + [name])

    walk(group, [])
    assert ["replay"] in names and ["calibrate"] in names
    for name in names:
        code, out, _ = cli(*name, "--help")
        assert code == 0
        assert "Example:" in out, f"replyaudit {' '.join(name)} --help has no example"


def test_replay_now_before_the_corpus_messages_warns_with_the_latest_date(cli, corpus_dir, tmp_path):
    """--now 1970 marked some cases waiting and used replies from its 'future' without a word."""
    code, _, err = cli("replay", corpus_dir, "--database", tmp_path / "db.sqlite3", "--now", "1970-01-01T00:00:00Z")
    assert code == 0, err
    warning = next(line for line in err.splitlines() if line.startswith("warning: --now"))
    assert "1970-01-01T00:00:00+00:00 is before" in warning and "2026-" in warning
    assert "Fix:" in warning


def test_replay_now_after_every_message_gives_no_warning(cli, corpus_dir, tmp_path):
    code, _, err = cli("replay", corpus_dir, "--database", tmp_path / "db.sqlite3", "--now", "2099-01-01T00:00:00Z")
    assert code == 0, err
    assert "warning: --now" not in err


def test_replay_now_outside_the_clock_years_is_a_usage_error(cli, corpus_dir, tmp_path):
    code, _, err = cli("replay", corpus_dir, "--database", tmp_path / "db.sqlite3", "--now", "0001-01-01T00:00:00Z")
    assert code == 2
    assert "--now" in err and "1970" in err and "2100" in err
