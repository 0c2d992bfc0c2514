"""Regression cases found by a new user breaking the pipeline on purpose; each input stays."""

import json
import re
import shutil


def _single_case_corpus(corpus_dir, tmp_path, case):
    target = tmp_path / "corpus"
    (target / "cases").mkdir(parents=True)
    shutil.copy(corpus_dir / "campaign.toml", target / "campaign.toml")
    shutil.copytree(corpus_dir / "cases" / case, target / "cases" / case)
    return target


def _replay_json(cli, corpus, tmp_path):
    code, out, err = cli("replay", corpus, "--database", tmp_path / "db.sqlite3", "--format", "json")
    assert code == 0, err
    return {r["inquiry_id"]: r for r in json.loads(out)}


def test_pipeline_same_reply_in_two_folders_is_not_a_follow_up(cli, corpus_dir, tmp_path):
    """The same message (same Message-ID) kept twice, e.g. from INBOX and another folder."""
    case = "c01-montverac-prix-nx"
    corpus = _single_case_corpus(corpus_dir, tmp_path, case)
    reply = next((corpus / "cases" / case).glob("02-*.eml"))
    (reply.parent / "03-same-reply-other-folder.eml").write_bytes(b"X-Folder: copy\r\n" + reply.read_bytes())
    result = _replay_json(cli, corpus, tmp_path)[case]
    assert result["answers"]["follow_up"]["value"] == "no"
    assert result["answers"]["test_drive"]["value"] == ["dealer_initial"]
    assert result["total"] == 22
    roles = [m["role"] for m in result["messages"]]
    assert roles.count("initial") == 1 and "follow_up" not in roles
    assert "duplicate_message" in result["flags"]


def test_pipeline_reply_with_unreadable_dates_is_undetermined_not_no_reply(cli, corpus_dir, tmp_path):
    case = "c08-saintormel-options-es"
    corpus = _single_case_corpus(corpus_dir, tmp_path, case)
    reply = next((corpus / "cases" / case).glob("02-*.eml"))
    text = reply.read_bytes().decode("utf-8", "surrogateescape")
    text = re.sub(r"(?m)^Date: .*$", "Date: 45 Foo 2026 99:99:99 +9999", text)
    text = re.sub(r"(?m)^(Received: .*?);[^\n]*$", r"\1; not a date", text)
    text = re.sub(r"(?m)^(\s+.*?);\s*\w{3}, \d+ \w{3} \d{4} [\d:]+ [+-]\d{4}.*$", r"\1; not a date", text)
    reply.write_bytes(text.encode("utf-8", "surrogateescape"))
    result = _replay_json(cli, corpus, tmp_path)[case]
    q1 = result["answers"]["response_time"]
    assert q1["value"] == "undetermined"
    assert q1["needs_review"] is True and q1["points"] == 0
    assert "no_arrival_time" in result["flags"]
    # the reply is still the first personalised reply for the other questions
    assert result["answers"]["advisor_contact"]["value"] == ["name"]


def test_corpus_two_cases_with_one_shopper_address_skips_the_second(cli, corpus_dir, tmp_path):
    target = tmp_path / "corpus"
    (target / "cases").mkdir(parents=True)
    shutil.copy(corpus_dir / "campaign.toml", target / "campaign.toml")
    shutil.copytree(corpus_dir / "cases" / "c01-montverac-prix-nx", target / "cases" / "dupA")
    shutil.copytree(corpus_dir / "cases" / "c01-montverac-prix-nx", target / "cases" / "dupB")
    code, out, err = cli("replay", target, "--database", tmp_path / "db.sqlite3")
    assert code == 1, err  # partial: one case skipped
    assert "1 case(s) analysed" in out
    assert "dupB" in out and "dupA" in out and "shopper" in out


def test_calibrate_min_agreement_fails_when_cases_were_skipped(cli, corpus_dir, tmp_path):
    target = _single_case_corpus(corpus_dir, tmp_path, "c01-montverac-prix-nx")
    shutil.copytree(corpus_dir / "cases" / "c02-montverac-dispo-rx", target / "cases" / "c02-montverac-dispo-rx")
    (target / "cases" / "c02-montverac-dispo-rx" / "case.toml").unlink()
    code, _, err = cli("calibrate", target, "--min-agreement", "0.5")
    assert code == 1
    assert "skipped" in err


def test_replay_of_an_approved_case_prints_the_approved_total(cli, corpus_dir, tmp_path):
    from replyaudit.config import default_rules_dir
    from replyaudit.review import approve, change_answer
    from replyaudit.scorecard import load_scorecard
    from replyaudit.store import Store

    case = "c01-montverac-prix-nx"
    corpus = _single_case_corpus(corpus_dir, tmp_path, case)
    db = tmp_path / "db.sqlite3"
    assert cli("replay", corpus, "--database", db)[0] == 0
    with Store(db) as store:
        change_answer(store, load_scorecard(default_rules_dir()), "corpus:corpus", case, "response_time",
                      "within_2_working_days", "arrival checked by hand", "alice")
        approve(store, "corpus:corpus", case, "alice")
    code, out, _ = cli("replay", corpus, "--database", db)
    assert code == 0
    line = next(line for line in out.splitlines() if line.startswith(case))
    assert "18/29" in line and "approved" in line


def test_delay_case_on_a_missing_database_creates_nothing(cli, tmp_path):
    db = tmp_path / "absent.sqlite3"
    code, _, err = cli("delay", "--case", "c01", "--database", db)
    assert code != 0 and "absent.sqlite3" in err
    assert not db.exists()


def test_delay_case_with_instants_is_refused(cli, tmp_path):
    code, _, err = cli("delay", "--case", "c01", "--from", "2026-06-07T15:00:00+02:00", "--database", tmp_path / "x.sqlite3")
    assert code != 0 and "--case" in err


def test_usage_errors_are_one_clear_line_without_traceback(cli, corpus_dir):
    for args in (
        ("calibrate", corpus_dir, "--min-agreement", "1.01"),
        ("replay", corpus_dir, "--format", "xml"),
        ("replay",),
        ("nosuch",),
        ("replay", corpus_dir, "--now", "tomorrow"),
    ):
        code, _, err = cli(*args)
        assert code == 2, args
        assert "Traceback" not in err and "error" in err.lower(), (args, err)


def test_corpus_folder_decides_the_match_and_the_matcher_disagreement_is_reported(cli, corpus_dir, tmp_path):
    """A reply the matcher cannot place (no threading, another address) still counts in its case."""
    target = _single_case_corpus(corpus_dir, tmp_path, "c14-montverac-dispo-nx")
    shutil.copytree(corpus_dir / "cases" / "c01-montverac-prix-nx", target / "cases" / "c01-montverac-prix-nx")
    reply = next((target / "cases" / "c14-montverac-dispo-nx").glob("02-*.eml"))
    text = reply.read_bytes().decode("utf-8", "surrogateescape")
    text = re.sub(r"(?mi)^(In-Reply-To|References):.*\n(\s+.*\n)*", "", text)
    text = re.sub(r"elodie\.vasseur\+mv14@example-shopper\.fr", "accueil@example-shopper.fr", text)
    text = re.sub(r"(?m)^From: .*$", "From: Equipe <equipe.ventes.nx@gmail.com>", text)
    text = re.sub(r"(?m)^Subject: .*$", "Subject: Bonjour", text)
    reply.write_bytes(text.encode("utf-8", "surrogateescape"))
    results = _replay_json(cli, target, tmp_path)
    case = results["c14-montverac-dispo-nx"]
    assert case["answers"]["response_time"]["value"] == "within_2h"
    initial = [m for m in case["messages"] if m["role"] == "initial"]
    assert initial and initial[0]["match"]["basis"] == "corpus"
    code, out, _ = cli("replay", target, "--database", tmp_path / "other.sqlite3")
    assert code == 0
    assert "filed in c14-montverac-dispo-nx, the matcher alone says" in out


def test_pipeline_a_failing_check_flags_its_case_and_the_run_goes_on(corpus_dir, tmp_path, monkeypatch):
    """A defect in the checks (simulated: no real input is known to cause one) stops nothing."""
    from replyaudit import pipeline
    from replyaudit.config import default_rules_dir
    from replyaudit.replay import replay
    from replyaudit.store import Store

    real = pipeline.run_checks

    def flaky(ctx, scorecard, rules=None):
        if ctx.inquiry.id == "c01-montverac-prix-nx":
            raise RuntimeError("simulated defect")
        return real(ctx, scorecard, rules)

    monkeypatch.setattr(pipeline, "run_checks", flaky)
    with Store(tmp_path / "db.sqlite3") as store:
        report = replay(corpus_dir, store, default_rules_dir())
    results = {r.inquiry_id: r for r in report.results}
    assert len(results) == 24
    broken = results["c01-montverac-prix-nx"]
    assert "analysis_error" in broken.flags
    assert broken.answers["proposed_call"].needs_review and "simulated defect" in broken.answers["proposed_call"].note
    assert broken.answers["response_time"].value == "within_2h"
    assert "analysis_error" not in results["c02-montverac-dispo-rx"].flags


def _live_analysis(corpus_dir, tmp_path, extra: dict[str, bytes], cases=None):
    """Analyse corpus cases as a live campaign (matcher decides), plus extra raw messages."""
    from replyaudit.checks import load_rules
    from replyaudit.config import default_rules_dir
    from replyaudit.corpus import load_corpus
    from replyaudit.pipeline import Analyzer, ingest
    from replyaudit.scorecard import load_scorecard
    from replyaudit.store import Store

    scorecard = load_scorecard(default_rules_dir())
    corpus = load_corpus(corpus_dir, scorecard)
    store = Store(tmp_path / "live.sqlite3")
    for case in corpus.cases:
        if cases is None or case.id in cases:
            for path in case.files:
                ingest(store, path.read_bytes(), campaign="live", origin="file", location=str(path))
    for name, raw in extra.items():
        ingest(store, raw, campaign="live", origin="file", location=name)
    analyzer = Analyzer(store, "live", corpus.campaign, scorecard, load_rules(default_rules_dir()), complete=True)
    summary = analyzer.run(only=cases)
    store.close()
    return {r.inquiry_id: r for r in summary.results}, summary


def test_pipeline_unmatched_mail_flags_only_the_cases_it_may_belong_to(corpus_dir, tmp_path):
    stray = (
        b"From: Pierre Roche <p.roche@lexus-valbreze.fr>\r\nTo: inconnu+zz99@example-shopper.fr\r\n"
        b"Subject: Votre visite\r\nDate: Tue, 05 May 2026 10:00:00 +0200\r\nMessage-ID: <stray@lexus-valbreze.fr>\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nBonjour,\r\nMerci pour votre visite.\r\n"
    )
    cases = {"c01-montverac-prix-nx", "c04-valbreze-reprise-chr", "c05-valbreze-loa-nx"}
    results, summary = _live_analysis(corpus_dir, tmp_path, {"stray.eml": stray}, cases)
    assert len(summary.unmatched) == 1
    assert "unmatched_mail" not in results["c01-montverac-prix-nx"].flags
    assert "unmatched_mail" in results["c04-valbreze-reprise-chr"].flags
    assert "unmatched_mail" in results["c05-valbreze-loa-nx"].flags


def test_pipeline_reply_dated_decades_early_is_set_aside_not_the_first_reply(corpus_dir, tmp_path):
    case = "c24-valbreze-delai-nx"
    bogus = (
        "From: Service <vente@lexus-valbreze.fr>\r\nTo: nadia.benhamou+vb24@example-shopper.fr\r\n"
        "Subject: Re: votre demande\r\nDate: Thu, 01 Jan 1970 00:00:00 +0000\r\nMessage-ID: <old@lexus-valbreze.fr>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nBonjour Madame,\r\nLe délai est de six semaines.\r\n"
        "Cordialement,\r\nPaul Girard\r\nConseiller commercial\r\n"
    ).encode()
    results, _ = _live_analysis(corpus_dir, tmp_path, {"old.eml": bogus}, {case})
    result = results[case]
    assert "implausible_date" in result.flags
    assert result.answers["response_time"].value == "within_2_working_days"
    assert result.answers["follow_up"].value == "no"
    roles = {m.source: m.role for m in result.messages}
    assert roles["old.eml"] == "other"


def test_pipeline_reply_from_another_dealer_puts_the_case_under_review(corpus_dir, tmp_path):
    stray = (
        b"From: Pierre Roche <p.roche@lexus-valbreze.fr>\r\nTo: claire.morel+mv01@example-shopper.fr\r\n"
        b"Subject: Votre projet NX\r\nDate: Tue, 17 Mar 2026 10:00:00 +0100\r\nMessage-ID: <other@lexus-valbreze.fr>\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nBonjour Madame,\r\nJe vous propose un essai du NX.\r\n"
        b"Cordialement,\r\nPierre Roche\r\nConseiller commercial\r\n"
    )
    case = "c01-montverac-prix-nx"
    results, _ = _live_analysis(corpus_dir, tmp_path, {"stray.eml": stray}, {case})
    result = results[case]
    assert "uncertain_match" in result.flags
    assert all(answer.needs_review for answer in result.answers.values())
    assert any("valbreze" in answer.note for answer in result.answers.values())


def test_pipeline_image_only_reply_is_flagged_not_read_as_saying_nothing(cli, corpus_dir, tmp_path):
    case = "c01-montverac-prix-nx"
    corpus = _single_case_corpus(corpus_dir, tmp_path, case)
    folder = corpus / "cases" / case
    next(folder.glob("02-*.eml")).unlink()
    (folder / "02-image.eml").write_bytes(
        b"Received: by mx.example-shopper.fr; Mon, 16 Mar 2026 11:12:47 +0100\r\n"
        b"From: Guillaume Ferrandou <g.ferrandou@lexus-montverac.fr>\r\n"
        b"To: claire.morel+mv01@example-shopper.fr\r\nSubject: Re: Prix NX\r\n"
        b"Date: Mon, 16 Mar 2026 11:12:40 +0100\r\nMessage-ID: <img1@lexus-montverac.fr>\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"b1\"\r\n\r\n"
        b"--b1\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><img src=\"cid:scan1\"></body></html>\r\n"
        b"--b1\r\nContent-Type: image/png\r\nContent-ID: <scan1>\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\r\n"
        b"--b1--\r\n"
    )
    result = _replay_json(cli, corpus, tmp_path)[case]
    assert "no_readable_text" in result["flags"]
    assert all(answer["needs_review"] for answer in result["answers"].values())


def test_calibrate_corpus_without_cases_says_so_and_exits_non_zero(cli, corpus_dir, tmp_path):
    target = tmp_path / "vide"
    (target / "cases").mkdir(parents=True)
    shutil.copy(corpus_dir / "campaign.toml", target / "campaign.toml")
    code, out, err = cli("calibrate", target, "--format", "json")
    assert code == 1 and "found none" in err
    assert json.loads(out)["overall"]["agreement"] is None


def test_corpus_unknown_question_key_in_expected_names_the_key(cli, corpus_dir, tmp_path):
    corpus = _single_case_corpus(corpus_dir, tmp_path, "c01-montverac-prix-nx")
    path = corpus / "cases" / "c01-montverac-prix-nx" / "case.toml"
    path.write_text(path.read_text() + 'bogus_question = "yes"\n')
    code, out, _ = cli("replay", corpus, "--database", tmp_path / "db.sqlite3")
    assert code == 1  # the bad case is skipped, the run goes on (partial)
    assert "expected.bogus_question" in out and "a question key of the scorecard" in out
    assert "remove the key" in out
