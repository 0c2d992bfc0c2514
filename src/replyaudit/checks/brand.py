"""Questions 3 and 4: a brand sending address and a signature naming only the brand."""

from __future__ import annotations

import re

from replyaudit.checks.answer import make_answer
from replyaudit.checks.excerpt import line_evidence, line_excerpt
from replyaudit.checks.nlp import fold, has_term
from replyaudit.checks.rules import RuleSet
from replyaudit.context import CaseContext
from replyaudit.models import Answer, Evidence
from replyaudit.scorecard import Scorecard


def domain_is_brand(domain: str, ctx: CaseContext) -> bool:
    domain = domain.lower().strip(".")
    if any(domain == d or domain.endswith("." + d) for d in ctx.brand.domains):
        return True
    tokens = {
        token for label in domain.split(".") for token in [label, *label.split("-")]
    }
    return any(keyword in tokens for keyword in ctx.brand.keywords)


def check_brand_address(
    ctx: CaseContext, scorecard: Scorecard, rules: RuleSet
) -> Answer:
    """Q3: the first reply was sent from a brand address (a relay judged by Reply-To)."""
    msg = ctx.replies[0]
    sender = (msg.from_addr or msg.sender_addr).lower()
    domain = sender.rpartition("@")[2]
    evidence = [
        Evidence(
            message=msg.sha256,
            role="initial",
            part="headers",
            sentence=f"From: {sender}",
        )
    ]
    judged, rule, note = sender, "q3.from_domain", f"sent from {sender}"
    relays = rules.terms("contact.crm_relay_domains")
    if msg.reply_to and any(domain == r or domain.endswith("." + r) for r in relays):
        judged = msg.reply_to[0].lower()
        evidence.append(
            Evidence(
                message=msg.sha256,
                role="initial",
                part="headers",
                sentence=f"Reply-To: {judged}",
            )
        )
        rule, note = "q3.relay_reply_to", f"sent by the relay {domain} for {judged}"
    judged_domain = judged.rpartition("@")[2]
    if judged_domain in rules.terms("contact.webmail_domains"):
        return make_answer(
            scorecard,
            "brand_address",
            "no",
            "q3.webmail",
            0.95,
            f"{note}: a webmail address",
            evidence,
        )
    if domain_is_brand(judged_domain, ctx):
        return make_answer(
            scorecard,
            "brand_address",
            "yes",
            rule,
            0.95,
            f"{note}: a {ctx.brand.name} domain",
            evidence,
        )
    if not judged_domain:
        return make_answer(
            scorecard,
            "brand_address",
            "no",
            "q3.no_sender",
            0.5,
            "no sender address to judge",
            evidence,
        )
    return make_answer(
        scorecard,
        "brand_address",
        "no",
        rule,
        0.9,
        f"{note}: not a {ctx.brand.name} domain",
        evidence,
    )


def _find_makes(signature: str, rules: RuleSet) -> list[tuple[str, int, int]]:
    cleaned = signature
    for label in rules.terms("makes.brand_labels"):
        cleaned = re.sub(
            re.escape(label),
            lambda m: " " * len(m.group(0)),
            cleaned,
            flags=re.IGNORECASE,
        )
    folded = fold(cleaned)
    hits: list[tuple[str, int, int]] = []
    for term in rules.terms("makes.other"):
        for m in re.finditer(rf"(?<![\w]){re.escape(fold(term))}(?![\w])", folded):
            hits.append((term, m.start(), m.end()))
    for term in rules.terms("makes.other_short"):
        for m in re.finditer(rf"(?<![\w@./]){re.escape(term)}(?![\w@])", cleaned):
            hits.append((term, m.start(), m.end()))
    return sorted(hits, key=lambda h: h[1])


def check_brand_only_signature(
    ctx: CaseContext, scorecard: Scorecard, rules: RuleSet
) -> Answer:
    """Q4: the first reply has a signature naming no make but the brand."""
    msg = ctx.replies[0]
    if msg.signature_status == "image_only":
        return make_answer(
            scorecard,
            "brand_only_signature",
            "no",
            "q4.image_signature",
            0.4,
            "the signature is an image: not verifiable, check it by eye",
        )
    if not msg.signature.strip():
        return make_answer(
            scorecard,
            "brand_only_signature",
            "no",
            "q4.no_signature",
            0.85,
            "the first reply has no signature block",
        )
    makes = _find_makes(msg.signature, rules)
    if makes:
        term, start, end = makes[0]
        ev = line_evidence(msg, "initial", "signature", msg.signature, start, end)
        if has_term(ev.sentence, rules.terms("makes.legal_footer")):
            return make_answer(
                scorecard,
                "brand_only_signature",
                "no",
                "q4.make_in_legal_footer",
                0.5,
                f"'{term}' is named in a legal footer of the signature",
                [ev],
            )
        return make_answer(
            scorecard,
            "brand_only_signature",
            "no",
            "q4.other_make",
            0.95,
            f"the signature names another make: {term}",
            [ev],
        )
    keywords = (ctx.brand.name, *ctx.brand.keywords)
    # A brand signature names the brand in the signature itself: a name alone under
    # a brand sending address ('Cordialement / Prénom Nom' from a phone) is not one.
    if not has_term(msg.signature, keywords):
        return make_answer(
            scorecard,
            "brand_only_signature",
            "no",
            "q4.no_brand_named",
            0.75,
            f"the signature names no other make, but does not name "
            f"{ctx.brand.name} either",
        )
    excerpt, start, end = line_excerpt(
        msg.signature, lambda text: bool(has_term(text, keywords))
    )
    ev = Evidence(
        message=msg.sha256,
        role="initial",
        part="signature",
        sentence=excerpt,
        start=start,
        end=end,
    )
    return make_answer(
        scorecard,
        "brand_only_signature",
        "yes",
        "q4.brand_only",
        0.9,
        f"the signature names {ctx.brand.name} and no other make",
        [ev],
    )
