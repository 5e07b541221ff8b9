"""Suggesters (hamish.tui.suggest): quotations with judgement, and Prodigy/spaCy patterns files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hamish.tui.suggest import (
    PATTERN_ORIGIN,
    QUOTE_ORIGIN,
    Patterns,
    PatternsError,
    Suggesters,
    sentence_around,
    suggest_quotations,
)


def texts(suggestions) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.text for s in suggestions]


def test_quotations_of_words_are_suggested() -> None:
    text = "وقال الوزير: «لن نتراجع عن قرارنا» أمس. وأضاف أن “الحوار مستمر مع الجميع”."
    got = suggest_quotations(text)
    assert texts(got) == ["لن نتراجع عن قرارنا", "الحوار مستمر مع الجميع"]
    assert {s.origin for s in got} == {QUOTE_ORIGIN}
    assert {s.label for s in got} == {"quote"}


@pytest.mark.parametrize(
    "text",
    [
        "وذكرت قناة «الجزيرة الإخبارية» أن الاجتماع انتهى.",  # a TV channel
        "وذكرت لقناة «العربية» أن الاجتماع انتهى.",  # with a leading ل
        'وقال إن منظومة "إس-400" لن تسلم.',  # a weapon system, even after a verb of saying
        "وقصفت الطائرات مدينة «خان يونس» ليلا.",  # a place
        "وتصف الحكومة المسلحين بـ«الإرهابيين» دائما.",  # one word in scare quotes
        "وقالت “إن.تي.في” التركية إن اللقاء انتهى.",  # a one-word name after a verb of saying
        "وتعمل مجموعة «روسيا - العالم الإسلامي» منذ سنوات.",  # an organisation
    ],
)
def test_names_and_terms_in_quotation_marks_are_not_quotations(text: str) -> None:
    assert suggest_quotations(text) == []


def test_unclosed_quotation_is_not_guessed() -> None:
    assert suggest_quotations("وكتب أحد السكان: «نريد أن نعود إلى بيوتنا") == []


def test_nested_name_inside_a_quotation() -> None:
    text = "ونقل عن مسؤول قوله إن «العملية في مدينة “رفح” لن تبدأ قبل إجلاء المدنيين»."
    assert texts(suggest_quotations(text)) == ["العملية في مدينة “رفح” لن تبدأ قبل إجلاء المدنيين"]


def test_a_long_stretch_in_marks_without_a_cue_is_a_quotation() -> None:
    text = "وفي البيان «نحن ملتزمون بكل ما اتفقنا عليه في القمة» بحسب الوكالة."
    assert texts(suggest_quotations(text)) == ["نحن ملتزمون بكل ما اتفقنا عليه في القمة"]


def test_rejected_keys_are_left_out() -> None:
    text = "وقال الوزير: «لن نتراجع عن قرارنا» أمس."
    s = Suggesters()
    first = s.suggest(text)
    assert len(first) == 1
    assert s.suggest(text, rejected={first[0].key}) == []


def write(tmp_path: Path, *entries: object) -> Path:
    path = tmp_path / "patterns.jsonl"
    path.write_text(
        "\n".join(json.dumps(e, ensure_ascii=False) for e in entries) + "\n", encoding="utf-8"
    )
    return path


def test_phrase_pattern_with_arabic_folding(tmp_path: Path) -> None:
    # hamza forms, ى/ي, ة/ه, harakat and tatweel all match their plain forms
    p = Patterns.load(write(tmp_path, {"label": "agreement", "pattern": "اتفاقية إطار"}))
    text = "ووقّعا إتّفاقيـة إطارٍ للتعاون. ثم اتفاقيه اطار أخرى."
    got = p.suggest(text)
    assert texts(got) == ["إتّفاقيـة إطارٍ", "اتفاقيه اطار"]
    assert {s.origin for s in got} == {PATTERN_ORIGIN}
    assert {s.label for s in got} == {"agreement"}


def test_phrase_matches_whole_tokens_only(tmp_path: Path) -> None:
    p = Patterns.load(write(tmp_path, {"label": "x", "pattern": "قال"}))
    assert p.suggest("وقالت المصادر") == []
    assert texts(p.suggest("قال، ثم مضى")) == ["قال"]


def test_token_patterns_in_not_in_regex_op(tmp_path: Path) -> None:
    p = Patterns.load(
        write(
            tmp_path,
            {
                "label": "claim",
                "pattern": [
                    {"LOWER": {"IN": ["زعم", "ادعى"]}},
                    {"IS_PUNCT": True, "OP": "?"},
                    {"TEXT": {"REGEX": "^مسؤول"}},
                    {"LOWER": {"NOT_IN": ["في"]}, "OP": "*"},
                    {"ORTH": "أن"},
                ],
            },
        )
    )
    text = "وقد ادّعى مسؤولون كبار أمس أن الصفقة انتهت. زعم مسؤول في الحكومة أن"
    assert texts(p.suggest(text)) == ["ادّعى مسؤولون كبار أمس أن"]


def test_sentence_scope(tmp_path: Path) -> None:
    p = Patterns.load(write(tmp_path, {"label": "claim", "pattern": "زعمت", "scope": "sentence"}))
    text = "جملة أولى. وقد زعمت الصحيفة أن الوزير استقال. جملة أخيرة."
    assert texts(p.suggest(text)) == ["وقد زعمت الصحيفة أن الوزير استقال."]


def test_sentence_around_is_what_s_selects() -> None:
    text = "أولى. ثانية “بين علامتين.” هنا! ثالثة"
    i = text.index("بين")
    assert text[slice(*sentence_around(text, i, i + 3))] == "ثانية “بين علامتين.”"


def test_overlapping_matches_longest_wins(tmp_path: Path) -> None:
    p = Patterns.load(
        write(
            tmp_path,
            {"label": "a", "pattern": "مجلس الأمن"},
            {"label": "b", "pattern": "مجلس الأمن الدولي"},
        )
    )
    got = p.suggest("اجتمع مجلس الأمن الدولي أمس")
    assert [(s.label, s.text) for s in got] == [("b", "مجلس الأمن الدولي")]


@pytest.mark.parametrize(
    "line, problem",
    [
        ("not json", "line 1: not JSON"),
        ('["a"]', "line 1: expected an object"),
        ('{"pattern": "x"}', "'label'"),
        ('{"label": "x", "pattern": 3}', "'pattern' must be"),
        ('{"label": "x", "pattern": [{"POS": "VERB"}]}', "'POS' is not supported"),
        ('{"label": "x", "pattern": [{"LOWER": "a", "OP": "@"}]}', "OP must be"),
        ('{"label": "x", "pattern": [{"TEXT": {"REGEX": "("}}]}', "REGEX"),
        ('{"label": "x", "pattern": "x", "scope": "page"}', "'scope'"),
        ('{"label": "x", "pattern": [{"LOWER": "a", "OP": "?"}]}', "can match nothing"),
        ('{"label": "x\\u001b[31m", "pattern": "a"}', "control or invisible"),
        ('{"label": "\\u202ex", "pattern": "a"}', "control or invisible"),
    ],
)
def test_bad_patterns_files_say_file_line_and_problem(
    tmp_path: Path, line: str, problem: str
) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(PatternsError) as e:
        Patterns.load(path)
    assert str(path) in str(e.value) and problem in str(e.value)


def test_unreadable_patterns_file(tmp_path: Path) -> None:
    with pytest.raises(PatternsError, match="missing.jsonl"):
        Patterns.load(tmp_path / "missing.jsonl")
    bad = tmp_path / "latin1.jsonl"
    bad.write_bytes(b'{"label": "x", "pattern": "\xe9"}\n')
    with pytest.raises(PatternsError, match="not UTF-8"):
        Patterns.load(bad)


def test_a_pattern_id_is_shown_escaped(tmp_path: Path) -> None:
    p = Patterns.load(write(tmp_path, {"label": "x", "pattern": "قال", "id": "a\x1b[2J[/]"}))
    (got,) = p.suggest("قال")
    assert "\x1b" not in got.why and "\\u001b[2J[/]" in got.why


def test_marks_paired_across_pages_are_not_a_quotation() -> None:
    from hamish.tui.suggest import QUOTE_MAX, suggest_quotations

    body = "كلمة " * 40
    near = f"قال الوزير: «{body.strip()}»."
    far = f"قال الوزير: «{(body * (QUOTE_MAX // len(body) + 1)).strip()}»."
    assert [s.text for s in suggest_quotations(near)] == [body.strip()]
    assert suggest_quotations(far) == []


def test_the_child_finding_suggestions_apart_ends_with_its_parent() -> None:
    """A reader quit while a long article's suggestions are looked for leaves no process
    behind (it would work on for a minute)."""
    import os
    import subprocess
    import sys
    import time

    script = """
import sys, threading, time
import hamish.tui.suggest as s
text = ("قال الوزير: «إن الحكومة لن تتراجع عن قرارها مهما كانت الضغوط». " + "كلمة " * 50) * 40000
threading.Thread(target=s.candidates_apart, args=(s.Suggesters(), text), daemon=True).start()
while not s._CHILDREN:
    time.sleep(0.01)
print(next(iter(s._CHILDREN)).pid, flush=True)
time.sleep(3)  # the text is sent: the child is at work, for many seconds more
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    pid = int(done.stdout.split()[0])
    deadline = time.monotonic() + 10
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        try:  # (a zombie of ours? it is not: its parent was the script, which has ended)
            if open(f"/proc/{pid}/stat").read().split()[2] == "Z":
                break
        except OSError:
            break
        assert time.monotonic() < deadline, "the child is still at work"
        time.sleep(0.1)
