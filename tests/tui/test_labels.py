"""Labels files: what a user may write, and the errors they get otherwise."""

from __future__ import annotations

import pytest

from hamish.tui.labels import DEFAULT_LABELS, LabelsError, load_labels


def write(tmp_path, body: str):
    path = tmp_path / "labels.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_defaults_are_claim_agreement_quote_on_1_2_3():
    assert [(l.name, l.key) for l in DEFAULT_LABELS] == [("claim", "1"), ("agreement", "2"), ("quote", "3")]


def test_a_file_sets_names_keys_and_colours_with_defaults_for_what_is_left_out(tmp_path):
    labels = load_labels(write(tmp_path, '''
[[label]]
name = "مصدر"
key = "x"
color = "red"

[[label]]
name = "event"
'''))
    assert [(l.name, l.key) for l in labels] == [("مصدر", "x"), ("event", "2")]
    assert labels[0].color == "#800000" or labels[0].color.startswith("#")
    assert labels[1].color.startswith("#") and labels[1].color != labels[0].color


@pytest.mark.parametrize(
    "body, problem",
    [
        ("", "no labels"),
        ("[[label]]\nname = 'a'\n" * 10, "at most 9"),
        ("[[label]]\nname = ''\n", "name"),
        ("[[label]]\nname = 'a'\nkey = 'ab'\n", "one character"),
        ("[[label]]\nname = 'a'\nkey = 's'\n", "already used by the reader"),
        ("[[label]]\nname = 'a'\n[[label]]\nname = 'a'\n", "used twice"),
        ("[[label]]\nname = 'a'\nkey = '5'\n[[label]]\nname = 'b'\nkey = '5'\n", "already 'a'"),
        ("[[label]]\nname = 'a'\ncolor = 'not-a-colour'\n", "not a colour"),
        ("[[label]]\nname = 'a'\nshortcut = '1'\n", "unknown field"),
        ("[[label]\nname = 'a'\n", "not valid TOML"),
    ],
)
def test_problems_are_reported_with_the_file_name(tmp_path, body, problem):
    path = write(tmp_path, body)
    with pytest.raises(LabelsError) as e:
        load_labels(path)
    assert problem in str(e.value) and str(path) in str(e.value)


def test_cli_reports_a_bad_labels_file_without_a_traceback(tmp_path):
    import subprocess

    from installed import hamish

    path = write(tmp_path, "[[label]]\nname = 'a'\nkey = 'ab'\n")
    done = subprocess.run(
        [hamish(), "--labels", str(path), "--db", str(tmp_path / "db.json")],
        capture_output=True, text=True, timeout=30,
    )
    assert done.returncode == 2 and "one character" in done.stderr and "Traceback" not in done.stderr
