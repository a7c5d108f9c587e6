"""Text summary and the report folder (figures, tables, Markdown, HTML)."""

import base64
import html
import os
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["format_summary", "write_report"]

_FIGURES = (
    ("wage_fit.png", "plot_wage_fit", "Salary against age per level, fitted lines"),
    ("coefficients.png", "plot_wage_coefficients", "Coefficients and contrasts"),
    ("regularization_path.png", "plot_wage_path", "L1 regularization path"),
)


def _fmt(v, digits=1):
    return (
        "-"
        if v is None or (isinstance(v, float) and np.isnan(v))
        else (f"{v:.{digits}f}")
    )


def _table(frame, digits=1):
    return frame.rename_axis(None).to_string(
        float_format=lambda v: f"{v:.{digits}f}", na_rep="-", justify="right"
    )


def _group_notes(analysis):
    """How each linear model resolved the collinear dummies of each column."""
    lines = []
    for r in analysis.results.values():
        coef = r.coefficients
        if coef is None or not analysis.categorical:
            continue
        parts = []
        for col in analysis.categorical:
            names = [n for n in coef.index if n.startswith(f"{col}_")]
            if not names:
                continue
            values = coef[names]
            scale = max(float(np.max(np.abs(values))), 1e-12)
            zeros = [n for n in names if abs(values[n]) <= 1e-6 * scale]
            if zeros:
                parts.append(f"{col}: {', '.join(zeros)} = 0")
            else:
                parts.append(f"{col}: sum {values.sum():+.1f}")
        kind = {
            "l1": "L1 sets a reference dummy to zero",
            "l2": "L2 spreads the effect over all levels (sum near 0)",
            "l1+l2": "mix of both",
            "none": "minimum-norm least squares (sum near 0)",
        }.get(r.spec.penalty, "")
        lines.append(f"  {r.label:<12} {'; '.join(parts)}   [{kind}]")
    return lines


def _answer(analysis):
    """The classic exercise's answer in words, when its contrasts are present."""
    r = analysis.results.get("ols")
    if r is None:
        return None
    c = r.contrasts
    want = {
        "edu": "education: university - middle",
        "size": "company_size: large - small",
        "age": "age: slope",
    }
    if not all(v in c.index for v in want.values()):
        return None
    return (
        "Answer (OLS): a university graduate earns "
        f"{c[want['edu']]:.1f} thousand yen a month more than a middle-school "
        f"graduate, a large company pays {c[want['size']]:.1f} more than a small "
        f"one, and each year of age adds {c[want['age']]:.1f}."
    )


def _scores_table(analysis):
    rows = []
    for r in analysis.results.values():
        rows.append(
            {
                "estimator": r.label,
                "implementation": r.spec.implementation,
                "CV R2": f"{r.cv_r2:.3f} ± {r.cv_r2_std:.3f}",
                "CV RMSE": f"{r.cv_rmse:.1f} ± {r.cv_rmse_std:.1f}",
                "chosen": analysis.scores.loc[r.label, "chosen"],
                "fits": r.n_candidates * analysis.cv,
                "time": f"{r.fit_time:.1f} s",
            }
        )
    if not rows:
        return pd.DataFrame(columns=["implementation", "CV R2", "CV RMSE"])
    return pd.DataFrame(rows).set_index("estimator")


def _header(analysis):
    model = f"{analysis.target} ~ " + " + ".join(
        analysis.numeric + analysis.categorical
    )
    n, n_all = analysis.data.shape[0], analysis.data_all.shape[0]
    rows = f"{n:,} of {n_all:,} rows"
    if analysis.query:
        rows += f" ({analysis.query})"
    lines = [
        f"Wage regression: {model}",
        f"Source: {analysis.source}; {rows}; {analysis.cv}-fold shuffled CV "
        f"(seed {analysis.random_state})",
    ]
    attribution = analysis.data_all.attrs.get("attribution")
    if attribution:
        lines.append(attribution)
    return lines


def _notes(analysis):
    notes = [f"FAILED {key}: {msg}" for key, msg in analysis.failures.items()]
    for r in analysis.results.values():
        if r.spec.note:
            notes.append(f"{r.label}: {r.spec.note}")
        if r.n_not_converged:
            notes.append(
                f"{r.label}: {r.n_not_converged} fit(s) stopped at max_iter "
                "(ConvergenceWarning)."
            )
        if r.n_nonfinite:
            notes.append(
                f"{r.label}: {r.n_nonfinite} of {r.n_candidates} candidates gave "
                "non-finite CV scores (the solver diverged) and were not chosen."
            )
        if r.alpha_at_edge:
            what = (
                "the data favour (almost) no penalty"
                if r.alpha_at_edge == "smallest"
                else "the data favour an even stronger penalty"
            )
            notes.append(
                f"{r.label}: the chosen alpha is the {r.alpha_at_edge} of its grid: "
                f"{what}."
            )
        if r.n_tune and r.n_tune < r.n_train:
            notes.append(
                f"{r.label}: regularization chosen on a random subsample of "
                f"{r.n_tune:,} rows (CV scores from it), then refit on all "
                f"{r.n_train:,}."
            )
        if r.n_train and r.n_train < analysis.data.shape[0]:
            notes.append(
                f"{r.label} was tuned and fitted on a random subsample of "
                f"{r.n_train:,} of the {analysis.data.shape[0]:,} rows."
            )
        if r.coefficients is None:
            notes.append(
                f"{r.label} has no coefficients; its contrasts are average "
                "counterfactual effects over the analysed rows."
            )
    notes.append(
        "CV scores are those of the chosen hyper-parameters on the folds used to "
        "choose them, so slightly optimistic."
    )
    if analysis.path is not None and analysis.path.get("n_not_converged"):
        notes.append(
            f"regularization path: {analysis.path['n_not_converged']} fit(s) "
            "stopped at max_iter."
        )
    if analysis.path is not None and analysis.path.get(
        "n_rows", len(analysis.data)
    ) < len(analysis.data):
        notes.append(
            f"regularization path computed on a random subsample of "
            f"{analysis.path['n_rows']:,} rows."
        )
    if analysis.path is not None and analysis.path.get("n_failed"):
        notes.append(
            f"regularization path: {analysis.path['n_failed']} of "
            f"{len(analysis.path['alphas'])} fits ended worse than all-zero "
            "coefficients (the solver failed) and are left out of the figure."
        )
    return notes


def format_summary(analysis):
    """The readable summary of a :class:`~skreg.wage.WageAnalysis`.

    Cross-validated scores and chosen regularization per estimator, the
    coefficient table, the identified contrasts, how each penalty resolved
    the collinear dummies, and notes.

    Parameters
    ----------
    analysis : WageAnalysis

    Returns
    -------
    text : str

    Examples
    --------
    >>> from skreg.datasets import load_wages
    >>> from skreg.wage import format_summary, run_wage_analysis
    >>> res = run_wage_analysis(load_wages(), query="age < 55",
    ...                         estimators=["ols"], path=False)
    >>> print(format_summary(res))  # doctest: +ELLIPSIS
    Wage regression: salary ~ age + education + company_size
    ...
    Answer (OLS): a university graduate earns 93.9 thousand yen a month more ...
    """
    out = _header(analysis)
    out += [
        "",
        "Cross-validated scores (mean ± sd over folds) and chosen regularization",
    ]
    out += [_table(_scores_table(analysis))]
    coef = analysis.coefficients
    if coef.size:
        out += [
            "",
            f"Coefficients ({analysis.target} per unit; one-hot with all levels "
            "kept, so dummies are not identified)",
            _table(coef),
        ]
    out += [
        "",
        "Identified contrasts (level differences and slopes: the same for every "
        "least-squares solution of the collinear design; penalties shrink them)",
        _table(analysis.contrast_table),
    ]
    groups = _group_notes(analysis)
    if groups:
        out += ["", "How each model resolved the collinear dummy groups"] + groups
    answer = _answer(analysis)
    if answer:
        out += ["", answer]
    notes = _notes(analysis)
    if notes:
        out += ["", "Notes:"] + [f"  - {n}" for n in notes]
    return "\n".join(out)


def _md_table(frame, digits=1):
    frame = frame.copy()
    cols = [str(c) for c in frame.columns]
    lines = [
        "| " + " | ".join([""] + cols) + " |",
        "|" + "---|" * (len(cols) + 1),
    ]
    for idx, row in frame.iterrows():
        cells = []
        for v in row:
            if isinstance(v, (float, np.floating)):
                cells.append(_fmt(float(v), digits))
            else:
                cells.append(str(v))
        lines.append("| " + " | ".join([str(idx)] + cells) + " |")
    return "\n".join(lines)


def _html_table(frame, digits=1):
    return frame.to_html(float_format=lambda v: f"{v:.{digits}f}", na_rep="-", border=0)


def write_report(analysis, out_dir, *, figures=True, progress=None):
    """Write figures, tables and a self-contained report to a folder.

    Files: ``summary.txt``; ``coefficients.csv``, ``contrasts.csv``,
    ``scores.csv``; the PNG figures ``wage_fit.png``, ``coefficients.png``,
    ``regularization_path.png``; ``report.md`` (linking the PNGs next to
    it) and ``report.html`` (self-contained, PNGs embedded).

    Parameters
    ----------
    analysis : WageAnalysis

    out_dir : str or path-like
        Created if needed; existing files of the same names are replaced.

    figures : bool, default=True
        Draw the figures (needs matplotlib).

    progress : callable or None, default=None
        Called with one-line progress messages.

    Returns
    -------
    paths : dict
        Name -> path of every file written.

    Examples
    --------
    >>> import tempfile
    >>> from skreg.datasets import load_wages
    >>> from skreg.wage import run_wage_analysis, write_report
    >>> res = run_wage_analysis(load_wages(), query="age < 55",
    ...                         estimators=["ols"], path=False)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     paths = write_report(res, d, figures=False)
    ...     sorted(paths)  # doctest: +NORMALIZE_WHITESPACE
    ['coefficients.csv', 'contrasts.csv', 'report.html', 'report.md',
     'scores.csv', 'summary.txt']
    """
    say = progress if progress is not None else (lambda msg: None)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {}

    def put(name, text):
        p = out / name
        p.write_text(text, encoding="utf-8")
        paths[name] = p

    summary = format_summary(analysis)
    put("summary.txt", summary + "\n")
    coef = analysis.coefficients
    put("coefficients.csv", coef.to_csv())
    put("contrasts.csv", analysis.contrast_table.to_csv())
    put("scores.csv", analysis.scores.to_csv())

    images = []
    font_note = None  # a note about the figures, for the report
    if figures and analysis.results:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            figures = False
            font_note = (
                "matplotlib is not installed, so no figures were drawn: "
                "pip install 'skreg[plots]'."
            )
            say(font_note)
    if figures and analysis.results:
        from skreg.plotting._wage import _analysis_texts, _pyplot, wage_font_context

        plt = _pyplot()
        with wage_font_context(_analysis_texts(analysis)) as font:
            for name, func, caption in _FIGURES:
                if func == "plot_wage_path" and analysis.path is None:
                    continue
                if func == "plot_wage_fit" and not analysis.numeric:
                    continue
                fig = getattr(analysis, func.replace("wage_", ""))()
                p = out / name
                fig.savefig(p, dpi=110)
                plt.close(fig)
                paths[name] = p
                images.append((name, caption))
                say(f"wrote {p}")
        if font is False:
            font_note = (
                "No font with Japanese glyphs was found, so non-Latin labels in the "
                "figures show as boxes: install one (e.g. fonts-noto-cjk or "
                "IPAexGothic) and run again."
            )
            say(font_note)

    title = "skreg wage report"
    header = _header(analysis)
    sections = [
        ("Cross-validated scores and chosen regularization", _scores_table(analysis)),
    ]
    if coef.size:
        sections.append(
            ("Coefficients (one-hot, all levels kept: dummies not identified)", coef)
        )
    sections.append(
        ("Identified contrasts (level differences and slopes)", analysis.contrast_table)
    )
    groups = _group_notes(analysis)
    answer = _answer(analysis)
    notes = _notes(analysis) + ([font_note] if font_note else [])

    md = [f"# {title}", ""] + [f"{h}  " for h in header] + [""]
    if answer:
        md += [f"**{answer}**", ""]
    for heading, table in sections:
        md += [f"## {heading}", "", _md_table(table), ""]
    if groups:
        md += ["## How each model resolved the collinear dummy groups", ""]
        md += [f"- {g.strip()}" for g in groups] + [""]
    for name, caption in images:
        md += [f"## {caption}", "", f"![{caption}]({name})", ""]
    md += ["## Notes", ""] + [f"- {n}" for n in notes] + [""]
    put("report.md", "\n".join(md))

    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(title)}</title>",
        "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;"
        "padding:0 1em}table{border-collapse:collapse;margin:1em 0}"
        "td,th{padding:3px 10px;text-align:right;border-bottom:1px solid #ddd}"
        "img{max-width:100%}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
    ]
    parts += [f"<p>{esc(h)}</p>" for h in header]
    if answer:
        parts.append(f"<p><strong>{esc(answer)}</strong></p>")
    for heading, table in sections:
        parts += [f"<h2>{esc(heading)}</h2>", _html_table(table)]
    if groups:
        parts.append("<h2>How each model resolved the collinear dummy groups</h2>")
        parts.append(
            "<ul>" + "".join(f"<li>{esc(g.strip())}</li>" for g in groups) + "</ul>"
        )
    for name, caption in images:
        data = base64.b64encode((out / name).read_bytes()).decode("ascii")
        parts += [
            f"<h2>{esc(caption)}</h2>",
            f'<img alt="{esc(caption)}" src="data:image/png;base64,{data}">',
        ]
    parts.append("<h2>Notes</h2><ul>")
    parts += [f"<li>{esc(n)}</li>" for n in notes]
    parts.append("</ul></body></html>")
    put("report.html", "\n".join(parts))
    say(f"wrote {out / 'report.html'} and {out / 'report.md'}")
    return {k: os.fspath(v) for k, v in paths.items()}
