"""End-to-end tests of ``python -m skreg wages``."""

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from skreg.__main__ import _COMMANDS, command, main
from skreg.datasets import make_census_wages

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _agg(monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")


def test_embedded_report_end_to_end(tmp_path, capsys):
    """The README's first command: all estimators, default backend, figures."""
    out = tmp_path / "report"
    code = main(["wages", "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    for needle in (
        "84 of 120 rows (age < 55)",
        "Cross-validated scores",
        "Identified contrasts",
        "education: university - middle",
        "company_size: large - small",
        "age: slope",
        "Answer (OLS): a university graduate earns 93.9 thousand yen",
    ):
        assert needle in captured.out
    for label in ("OLS", "Lasso (L1)", "Ridge (L2)", "ElasticNet", "MLP"):
        assert label in captured.out
    # progress on stderr, per estimator with timings
    assert "Lasso (L1): done in" in captured.err
    assert "MLP: done in" in captured.err
    for name in (
        "report.html",
        "report.md",
        "wage_fit.png",
        "coefficients.png",
        "regularization_path.png",
        "coefficients.csv",
    ):
        assert (out / name).stat().st_size > 0, name
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") == 3


def test_generated_csv_with_other_names_in_shift_jis(tmp_path, capsys):
    names = {
        "age": "年齢",
        "education": "学歴",
        "company_size": "規模",
        "salary": "月給",
    }
    df = make_census_wages(3000, random_state=2).rename(columns=names)
    path = tmp_path / "extract.csv"
    df.to_csv(path, index=False, encoding="cp932")
    out = tmp_path / "out"
    code = main(
        [
            "wages",
            "--csv",
            str(path),
            "--encoding",
            "cp932",
            "--target",
            "月給",
            "--categorical",
            "学歴,規模",
            "--numeric",
            "年齢",
            "--where",
            "年齢 < 55",
            "--estimators",
            "ols,lasso,ridge",
            "--contrast",
            "学歴",
            "university",
            "middle",
            "--out",
            str(out),
            "--quiet",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.err == ""  # --quiet
    assert "Wage regression: 月給 ~ 年齢 + 学歴 + 規模" in captured.out
    assert "学歴: university - middle" in captured.out
    contrasts = pd.read_csv(out / "contrasts.csv", index_col=0)
    assert list(contrasts.index) == ["学歴: university - middle", "年齢: slope"]
    # the generated data follow the table: a degree is worth ~90 thousand yen
    assert 60 < contrasts.loc["学歴: university - middle", "OLS"] < 120
    assert (out / "wage_fit.png").exists() and (out / "report.html").exists()


def test_inferred_columns(tmp_path, capsys):
    df = make_census_wages(400, random_state=0).rename(columns={"salary": "pay"})
    df["education"] = df["education"].astype(str)
    df["company_size"] = df["company_size"].astype(str)
    path = tmp_path / "d.csv"
    df.to_csv(path, index=False)
    code = main(
        [
            "wages",
            "--csv",
            str(path),
            "--target",
            "pay",
            "--estimators",
            "ols",
            "--no-figures",
            "--out",
            str(tmp_path / "o"),
            "--quiet",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "Wage regression: pay ~ age + education + company_size" in out


def _write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


GOOD = "age,education,company_size,salary\n" + "".join(
    f"{20 + i},{'high' if i % 2 else 'middle'},{'large' if i % 3 else 'small'},"
    f"{200 + 3 * i}\n"
    for i in range(20)
)


@pytest.mark.parametrize(
    "content, extra, message",
    [
        ("", [], "is empty: it needs a header row and data rows"),
        ("age,salary\n", [], "has a header but no data rows"),
        (
            GOOD,
            ["--target", "income"],
            "target column 'income' not found in {path}. Available columns: age, "
            "education, company_size, salary",
        ),
        (
            GOOD,
            ["--categorical", "educaton"],
            "categorical column 'educaton' (did you mean 'education'?) not found",
        ),
        (
            GOOD.replace(",203\n", ",n.a.\n"),
            [],
            "target column 'salary' is not numeric: 1 value(s) such as 'n.a.' "
            "(data row 2) are not numbers",
        ),
        (
            GOOD.replace("21,high", "21,"),
            [],
            "categorical column 'education' has 1 missing value (data row 2). "
            "Fill them with a level of their own",
        ),
        (GOOD, ["--where", "agee < 3"], "Cannot apply the row filter 'agee < 3'"),
        (GOOD, ["--where", "age > 99"], "No rows left after the row filter"),
        (GOOD, ["--encoding", "nope"], "unknown --encoding 'nope'"),
        (GOOD, ["--estimators", "ols,svm"], "unknown --estimators ['svm']"),
        (GOOD, ["--cv", "1"], "--cv must be at least 2"),
        (
            GOOD,
            ["--contrast", "education", "phd", "middle"],
            "--contrast level 'phd' does not occur in column 'education'",
        ),
    ],
)
def test_bad_csv_messages(tmp_path, capsys, content, extra, message):
    path = _write(tmp_path / "bad.csv", content)
    code = main(
        [
            "wages",
            "--csv",
            str(path),
            "--out",
            str(tmp_path / "o"),
            "--quiet",
            "--estimators",
            "ols",
            *extra,
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("skreg wages: error: ")
    assert message.format(path=path) in err
    assert "Traceback" not in err
    assert not (tmp_path / "o").exists()


def test_shift_jis_read_as_utf8_suggests_the_encoding(tmp_path, capsys):
    path = _write(tmp_path / "sjis.csv", "年齢,給与\n22,200\n", encoding="cp932")
    code = main(["wages", "--csv", str(path), "--target", "給与", "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert "cannot decode" in err and "try --encoding cp932" in err


def test_missing_file(tmp_path, capsys):
    code = main(["wages", "--csv", str(tmp_path / "nope.csv"), "--quiet"])
    assert code == 2
    assert "no such file" in capsys.readouterr().err


def test_top_level_usage(capsys):
    assert main([]) == 2
    assert main(["nosuchcommand"]) == 2
    assert main(["--version"]) == 0
    assert "skreg" in capsys.readouterr().out
    assert main(["wages", "--help"]) == 0
    assert "--encoding ENC" in capsys.readouterr().out


def test_command_registry_is_extensible(monkeypatch, capsys):
    monkeypatch.setattr("skreg.__main__._COMMANDS", dict(_COMMANDS))

    @command("hello", help="say hello")
    def _hello(parser):
        parser.add_argument("--name", default="world")
        return lambda args: print(f"hello {args.name}") or 0

    assert main(["hello", "--name", "wages"]) == 0
    assert capsys.readouterr().out == "hello wages\n"
    with pytest.raises(ValueError, match="already registered"):
        command("hello", help="again")(_hello)


def test_python_dash_m_exit_code(tmp_path):
    """A real process: the message and exit code 2, no traceback."""
    bad = _write(tmp_path / "bad.csv", "")
    env = dict(os.environ, PYTHONPATH=str(REPO), MPLBACKEND="Agg")
    proc = subprocess.run(
        [sys.executable, "-m", "skreg", "wages", "--csv", str(bad)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "is empty" in proc.stderr and "Traceback" not in proc.stderr
