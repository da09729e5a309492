"""Did it happen? Plans, conditionals, demands, denials and negations are not incidents.

"Russia would agree to halt its attacks", "if the plan was a ruse to ... seize the city",
"Syria denied carrying out the gas attack", "the strikes will continue": an event word in
such a clause is not a report that the event took place.

Most sentences that report violence carry none of the words that make a clause unreal,
so the check is cheap first: ``needs_parse`` looks for those words (modal verbs, negation,
"if", verbs of planning, demanding, denying or stopping). Only sentences that have one are
parsed (spaCy's dependency parser), and ``judge`` walks from the event word up to the verbs
that govern it:

- a modal auxiliary (will, would, could, may, must ...) -> ``plan``;
- a negation on the governing verb or on the event noun ("no air strikes") -> ``negated``;
- "if"/"unless" on a governing clause -> ``conditional`` — but not "whether"/"if" on a
  passive with its agent ("unclear whether the strikes were carried out by Syrian or
  Russian jets") or on a verb whose subject is a choice ("whether Syrian or Russian
  warplanes carried out the strikes"): that asks who did it, not whether it happened;
- a verb of planning or demanding (plan, threaten, vow, demand, urge ...) -> ``plan`` /
  ``demand``; of stopping (halt, stop, end, prevent) -> ``negated``;
  of denying (deny, refute) -> ``denial``;
- a bare infinitive ("to seize the city") -> ``plan``, unless it continues an act
  ("continued to shell").

The walk follows open complements, conjuncts and clausal complements, never a relative
clause's antecedent: in "it was not clear who carried out the attack", the negation
belongs to "clear", not to the attack.
"""

from __future__ import annotations

import re
from typing import Final, Literal

from spacy.tokens import Doc, Span, Token

Status = Literal["factual", "plan", "conditional", "demand", "denial", "negated"]

TRIGGERS: Final[re.Pattern[str]] = re.compile(
    r"\b(?:will|would|could|might|may|should|shall|must|can|cannot|not|never|no|if|unless|"
    r"whether|plan(?:s|ned|ning)?|threat\w*|vow\w*|pledg\w*|promis\w*|intend\w*|want\w*|demand\w*|urg\w*|"
    r"call(?:ed|s|ing)?\s+for|ask\w*|warn\w*|deni\w*|deny\w*|refut\w*|reject\w*|halt\w*|stop\w*|"
    r"cease[sd]?|ceasing|prevent\w*|avoid\w*|end|ending|agree[sd]?|agreeing|propos\w*|seek\w*|aim(?:s|ed|ing)?|prepar\w*|"
    r"hope\w*|refrain\w*|ready|able|going\s+to|request\w*|authori[sz]\w*|approv\w*|votes?|voted|debat\w*|"
    r"fears?|risks?|prospects?|possibility|ultimatum)\b|n['’]t\b",
    re.IGNORECASE,
)
_INFINITIVE: Final[re.Pattern[str]] = re.compile(r"\bto\s+$", re.IGNORECASE)

MODALS: Final[frozenset[str]] = frozenset(
    {
        "will",
        "would",
        "could",
        "might",
        "may",
        "should",
        "shall",
        "must",
        "can",
        "'ll",
        "’ll",
        "'d",
        "wo",
        "ca",
    }
)
PLAN_VERBS: Final[frozenset[str]] = frozenset(
    {"plan", "threaten", "vow", "pledge", "promise", "intend", "want", "seek", "propose",
     "prepare", "aim", "hope", "agree", "consider", "discuss", "offer", "expect", "wish",
     "try", "attempt", "decide", "able", "ready", "prepared", "willing", "allow", "let"}
)  # fmt: skip
DEMAND_VERBS: Final[frozenset[str]] = frozenset(
    {"demand", "urge", "call", "ask", "request", "appeal", "press", "insist", "warn"}
)
STOP_VERBS: Final[frozenset[str]] = frozenset(
    {"halt", "stop", "cease", "end", "prevent", "avoid", "refrain", "suspend", "ban",
     "prohibit", "forbid", "abandon", "deter", "curb", "limit", "reduce"}
)  # fmt: skip
DENY_VERBS: Final[frozenset[str]] = frozenset({"deny", "refute", "reject", "dismiss", "disavow"})
CONTINUE_VERBS: Final[frozenset[str]] = frozenset(
    {"continue", "begin", "start", "keep", "resume", "manage", "proceed", "go", "use", "come"}
)
#: Nouns that make what they are "for" or "of" unreal: "Obama's plan for Syria strikes",
#: "a request for authorization for military strikes", "the threat of air strikes".
PLAN_NOUNS: Final[frozenset[str]] = frozenset(
    {"plan", "plans", "threat", "threats", "proposal", "request", "call", "calls",
     "authorization", "authorisation", "approval", "vote", "debate", "demand", "demands",
     "option", "options", "prospect", "possibility", "risk", "danger", "fear", "fears",
     "warning", "warnings", "ultimatum", "push", "bid", "case"}
)  # fmt: skip
#: Prepositions whose object the sentence takes as having happened, whatever governs
#: them: "strikes in response to an alleged chemical attack", "talks after the bombing".
PRESUPPOSING: Final[frozenset[str]] = frozenset({"after", "following", "since", "amid", "despite"})
_RESPONSE: Final[frozenset[str]] = frozenset({"response", "reaction", "retaliation", "revenge"})
#: Nouns whose "of"/"into" object happened: "a condemnation of the August 21 attack",
#: "an investigation into the strike", "the victims of the bombing".
FACT_NOUNS: Final[frozenset[str]] = frozenset(
    {"condemnation", "investigation", "investigations", "inquiry", "probe", "aftermath",
     "wake", "victims", "survivors", "anniversary", "scene", "site", "perpetrators"}
)  # fmt: skip
#: Relations through which a governing verb's negation, modal or "if" reaches the event.
_CLIMB: Final[frozenset[str]] = frozenset({"xcomp", "conj", "pcomp", "acomp"})


#: How far before and after an event word a word that makes it unreal is looked for.
WINDOW: Final[tuple[int, int]] = (120, 40)


def needs_parse(sentence: str, cue_start: int, cue_end: int | None = None) -> bool:
    """Whether a word that can make the event unreal stands near it (cheap, no model).

    >>> needs_parse("Jets struck the market, killing 12.", 5)
    False
    >>> needs_parse("Russia would agree to halt its attacks.", 34)
    True
    """
    end = cue_start if cue_end is None else cue_end
    near = sentence[max(0, cue_start - WINDOW[0]) : end + WINDOW[1]]
    return bool(TRIGGERS.search(near)) or bool(_INFINITIVE.search(sentence[:cue_start]))


def _root(span: Span) -> Token:
    return span.root


def lemma(word: str) -> str:
    """A verb's base form, enough for the word lists here (no lemmatizer needed).

    >>> [lemma(w) for w in ("denied", "threatens", "halting", "stopped", "urged", "planned")]
    ['deny', 'threaten', 'halt', 'stop', 'urge', 'plan']
    """
    w = word.lower()
    for suffix, repl in (
        ("ied", "y"),
        ("ies", "y"),
        ("ing", ""),
        ("ed", ""),
        ("es", ""),
        ("s", ""),
    ):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            stem = w[: -len(suffix)] + repl
            known = PLAN_VERBS | DEMAND_VERBS | STOP_VERBS | DENY_VERBS | CONTINUE_VERBS
            for cand in (
                stem,
                stem + "e",
                stem[:-1] if len(stem) > 3 and stem[-1] == stem[-2] else stem,
            ):
                if cand in known:
                    return cand
            return stem
    return w


def _lemma(t: Token) -> str:
    return lemma(t.text)


def _verb_checks(v: Token, *, lexical_only: bool = False) -> tuple[Status, str] | None:
    for c in () if lexical_only else v.children:
        low = c.lower_
        if c.dep_ == "neg" or low in ("not", "n't", "never", "n’t"):
            return "negated", f"negated ('{c.text} {v.text}')"
        if c.dep_ == "aux" and low in MODALS:
            return "plan", f"not a fact: '{c.text} {v.text}'"
        if c.dep_ == "mark" and low in ("if", "unless", "whether"):
            if low != "unless" and any(
                g.dep_ == "agent"
                or g.dep_ == "nsubj"
                and any(t.lower_ in ("or", "either") for t in g.subtree)
                for g in v.children
            ):
                # "unclear whether the strikes were carried out by Syrian or Russian
                # jets", "did not know whether Syrian or Russian warplanes carried out the
                # strikes": the question is who did it, not whether it happened
                continue
            return "conditional", f"conditional ('{c.text} ... {v.text}')"
    lemma = _lemma(v)
    if lemma in DENY_VERBS:
        return "denial", f"a denial ('{v.text}')"
    if lemma in DEMAND_VERBS:
        return "demand", f"a demand ('{v.text}')"
    if lemma in PLAN_VERBS:
        return "plan", f"a plan or intention ('{v.text}')"
    if lemma in STOP_VERBS:
        return "negated", f"about stopping it ('{v.text}')"
    return None


def judge(parsed: Doc | Span, cue_start: int, cue_end: int) -> tuple[Status, str]:
    """The modality of the event word at ``cue_start:cue_end`` (offsets in ``parsed``'s
    text) and why."""
    base = parsed.start_char if isinstance(parsed, Span) else 0
    doc = parsed.doc if isinstance(parsed, Span) else parsed
    span = doc.char_span(base + cue_start, base + cue_end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return "factual", "event word not found in the parse"
    tok = _root(span)
    for c in tok.children:  # "no air strikes", "not an attack"
        if c.dep_ in ("neg", "det") and c.lower_ in ("no", "not", "never"):
            return "negated", f"negated ('{c.text} {tok.text}')"
    steps = 0
    t = tok
    if tok.dep_ == "pobj" and tok.head.dep_ == "prep":
        prep = tok.head
        if (
            prep.lower_ in PRESUPPOSING
            or (prep.lower_ in ("to", "for") and prep.head.lower_ in _RESPONSE)
            or (prep.lower_ in ("of", "into") and prep.head.lower_ in FACT_NOUNS)
        ):
            return "factual", f"presupposed ('{prep.text} ... {tok.text}')"
        if prep.lower_ in ("for", "of", "on") and prep.head.lower_ in PLAN_NOUNS:
            return "plan", f"not a fact: '{prep.head.text} {prep.text} ... {tok.text}'"
    reported = False  # past a clausal complement: only what the verb means counts
    while steps < 6:
        steps += 1
        if t.tag_.startswith("VB") or t.tag_ == "MD" or t.dep_ == "ROOT":
            verdict = _verb_checks(t, lexical_only=reported)
            if verdict is not None:
                return verdict
            if reported:
                break
            has_to = any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children)
            if has_to:
                head = t.head
                if head is t or _lemma(head) not in CONTINUE_VERBS:
                    return "plan", f"an aim, not a fact ('to {t.text}')"
            if t.dep_ == "ccomp" and t.head is not t:  # "denied that its jets bombed"
                reported = True
                t = t.head
                continue
            if t.dep_ in _CLIMB or (t.dep_ == "pobj" and t.head.dep_ == "prep"):
                if t.head is t:
                    break
                t = t.head
                continue
            if t.dep_ == "pcomp" or t.dep_ == "prep":
                t = t.head
                continue
            break
        if t.head is t:
            break
        t = t.head
    return "factual", "reported as having happened"
