"""Cue lists the classifier reads: header values and French/English phrasings, as data.

Each entry names the phrasing family it targets; none names a dealer, person or town.
"""

from __future__ import annotations

import re

# Local parts of addresses that nobody reads (no-reply senders, robots).
NO_REPLY_LOCAL = re.compile(
    r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|ne[-_.]?pas[-_.]?r[ée]pondre|nepasrepondre|"
    r"noreponse|no[-_.]?response|notifications?|automate?|robot|mailer|bounces?)([-+_.].*)?$",
    re.IGNORECASE,
)
# Local parts and names that send delivery status notifications.
DAEMON_LOCAL = re.compile(
    r"^(mailer-daemon|postmaster|mail-daemon|mdaemon)$", re.IGNORECASE
)
BOUNCE_SUBJECT = re.compile(
    r"undeliver|returned\s+mail|delivery\s+(status\s+notification|failure|has\s+failed)|"
    r"non\s+remis|non\s+distribu|[ée]chec\s+(de\s+(la\s+)?)?(remise|distribution|"
    r"livraison)|mail\s+delivery\s+failed|failure\s+notice|remise\s+impossible",
    re.IGNORECASE,
)
# Subjects of out-of-office and vacation notices.
OOO_SUBJECT = re.compile(
    r"r[ée]ponse\s+automatique|automatic\s+reply|auto(matic)?[-\s]?reply|absen(ce|t)|"
    r"out\s+of\s+(the\s+)?office|cong[ée]s|vacation|autoreply",
    re.IGNORECASE,
)
# Body phrasing of an absence: the author or the site is away for a while.
OOO_BODY = re.compile(
    r"\bje\s+suis\s+(actuellement\s+)?absente?\b|\bpendant\s+mon\s+absence\b|"
    r"\ben\s+cong[ée]s?\b|\bferm[ée]e?s?\s+(pour|du|jusqu)|\bde\s+retour\s+(le|lundi|mardi|"
    r"mercredi|jeudi|vendredi|samedi|d[eè]s)\b|\bacc[eè]s\s+limit[ée]\s+[àa]\s+ma\s+"
    r"messagerie|\bout\s+of\s+(the\s+)?office\b|\bi\s+am\s+(currently\s+)?away\b|"
    r"\bd[eè]s\s+(mon|notre)\s+retour\b|\br[ée]ouverture\b",
    re.IGNORECASE,
)
# Body phrasing of an automatic acknowledgement.
ACK_BODY = re.compile(
    r"message\s+(est\s+)?(envoy[ée]\s+)?automatique|envoy[ée]\s+automatiquement|"
    r"g[ée]n[ée]r[ée]\s+automatiquement|merci\s+de\s+ne\s+pas\s+(y\s+)?r[ée]pondre|"
    r"ne\s+pas\s+r[ée]pondre\s+[àa]\s+ce|accus[ée]\s+de\s+r[ée]ception|"
    r"(avons|a)\s+bien\s+(été\s+)?re[çc]u|a\s+bien\s+[ée]t[ée]\s+(re[çc]ue|transmise|"
    r"enregistr[ée]e)|nous\s+accusons\s+r[ée]ception|r[ée]capitulatif\s+de\s+votre|"
    r"(un|l.un\s+de\s+nos)\s+conseillers?\s+(vous\s+)?(contactera|recontactera|"
    r"reviendra)|vous\s+(contactera|recontactera|r[ée]pondra)\s+(dans\s+les\s+(plus\s+)?"
    r"(brefs|meilleurs)|tr[eè]s\s+(prochainement|rapidement)|sous\s+\d+)|"
    r"this\s+is\s+an\s+automated|do\s+not\s+reply\s+to\s+this|we\s+have\s+received\s+"
    r"your\s+(request|message)",
    re.IGNORECASE,
)
# Form recap lines ("Nom : …", "Téléphone : …") and unfilled merge fields.
RECAP_LINE = re.compile(
    r"^\s*(nom|pr[ée]nom|e-?mail|t[ée]l[ée]phone|mod[eè]le|concession|message|"
    r"v[ée]hicule|civilit[ée]|code\s+postal|demande)\s*:\s*\S",
    re.IGNORECASE | re.MULTILINE,
)
PLACEHOLDER = re.compile(
    r"\{\{\s*\w+\s*\}\}|\[\s*(pr[ée]nom|nom|first_?name|last_?name|name)\s*\]|"
    r"%[A-Z_]{3,}%|\$\{\w+\}|<<\s*\w+\s*>>|#\w+#",
    re.IGNORECASE,
)
# Surveys, newsletters and marketing: automatic and not an answer.
SURVEY_BODY = re.compile(
    r"questionnaire\s+de\s+satisfaction|enqu[êe]te\s+de\s+satisfaction|votre\s+avis\s+"
    r"(compte|nous\s+int[ée]resse|nous\s+aide)|donnez[-\s]nous\s+votre\s+avis|"
    r"r[ée]pondre\s+au\s+questionnaire|satisfaction\s+survey|rate\s+your\s+experience",
    re.IGNORECASE,
)
NEWSLETTER_BODY = re.compile(
    r"lettre\s+d.information|newsletter|vous\s+recevez\s+cet\s+e-?mail\s+car|"
    r"se\s+d[ée]sinscrire|pour\s+vous\s+d[ée]sinscrire|d[ée]sabonner|unsubscribe|"
    r"version\s+en\s+ligne|voir\s+la\s+version\s+web|view\s+in\s+(your\s+)?browser",
    re.IGNORECASE,
)
SURVEY_SENDER = re.compile(
    r"^(satisfaction|enquetes?|survey|avis|feedback|news(letter)?|marketing|info(s)?|"
    r"communication|promo)",
    re.IGNORECASE,
)
