"""The `framing` command: each subcommand reads input, calls one public function, writes output."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from framing.errors import FramingError

app = typer.Typer(
    help="Measure loaded language and framing in news, and compare outlets.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
lexicon_app = typer.Typer(help="Check, test and convert lexicons.", no_args_is_help=True)
app.add_typer(lexicon_app, name="lexicon")

LexiconOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--lexicon",
        "-l",
        help="Lexicon YAML file or folder; repeatable. Default: bundled lexicons.",
    ),
]


def _fail(exc: Exception) -> typer.Exit:
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(code=2)


def _print_summary(result: object) -> None:
    from framing.analyze import AnalysisResult

    assert isinstance(result, AnalysisResult)
    typer.echo(
        f"{result.n_records} records: {result.n_ok} analysed, {result.n_skipped} skipped; "
        f"{result.n_hits} hits -> {result.out}"
    )
    table = result.outlet_profiles
    if table.empty:
        return
    wide = table.pivot_table(
        index=["outlet", "category"],
        columns="voice",
        values=["rate_per_1k", "ci_low", "ci_high", "count"],
    )
    typer.echo(
        "\nTop categories per outlet in its own voice (narrator + scare quotes), with quoted voice"
        "\nbeside it; hits per 1,000 tokens, 95% bootstrap CI over articles:"
    )
    for outlet, rows in wide.groupby(level="outlet", sort=True):
        first = table[table["outlet"] == outlet].iloc[0]
        warning = f"  ! {first['warning']}" if first["warning"] else ""
        typer.echo(
            f"  {outlet}  ({first['n_articles']} articles, {first['n_tokens']:,} tokens){warning}"
        )
        top = rows.sort_values(("rate_per_1k", "own"), ascending=False).head(4)
        for key, row in top.iterrows():
            category = str(key[1]) if isinstance(key, tuple) else str(key)
            if row[("count", "all")] == 0:
                continue
            typer.echo(
                f"    {category:<16} own {row[('rate_per_1k', 'own')]:5.2f} "
                f"({row[('ci_low', 'own')]:.2f}–{row[('ci_high', 'own')]:.2f})   "
                f"quoted {row[('rate_per_1k', 'quoted')]:5.2f} "
                f"({row[('ci_low', 'quoted')]:.2f}–{row[('ci_high', 'quoted')]:.2f})"
            )


@app.command()
def analyze(
    inputs: Annotated[
        list[Path],
        typer.Argument(help="Corpus files (.csv .tsv .jsonl .parquet .txt .html) or folders."),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")],
    lexicon: LexiconOpt = None,
    id_col: Annotated[str, typer.Option(help="Column with article ids.")] = "id",
    outlet_col: Annotated[str, typer.Option(help="Column with outlet names.")] = "outlet",
    text_col: Annotated[str, typer.Option(help="Column with article text.")] = "text",
    spacy_model: Annotated[
        str | None, typer.Option(help="An installed spaCy pipeline, e.g. en_core_web_sm.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="csv or parquet.")] = "csv",
    seed: Annotated[int, typer.Option(help="Bootstrap seed.")] = 0,
    bootstrap: Annotated[int, typer.Option(help="Bootstrap resamples.")] = 2000,
    category_level: Annotated[
        int, typer.Option(help="Category depth in profiles; 0 = full ids.")
    ] = 1,
) -> None:
    """Match lexicons in a corpus; write articles, matches and profiles to --out."""
    from framing.analyze import analyze as run
    from framing.corpus import ColumnMap
    from framing.lexicon import read_lexicons

    try:
        columns = ColumnMap(
            id=id_col,
            outlet=outlet_col,
            text=text_col,
            explicit_id=id_col != "id",
            explicit_outlet=outlet_col != "outlet",
        )
        result = run(
            inputs,
            out,
            lexicon=read_lexicons(lexicon) if lexicon else None,
            columns=columns,
            spacy_model=spacy_model,
            fmt=fmt,
            seed=seed,
            n_boot=bootstrap,
            category_level=category_level or None,
        )
    except FramingError as exc:
        raise _fail(exc) from exc
    _print_summary(result)


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("framing-demo"),
) -> None:
    """Analyse the bundled sample corpus (4 fictional outlets) with the bundled lexicons."""
    from framing.analyze import analyze as run
    from framing.corpus import sample_corpus_path

    try:
        result = run([sample_corpus_path()], out)
    except FramingError as exc:
        raise _fail(exc) from exc
    _print_summary(result)


@lexicon_app.command("validate")
def lexicon_validate(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Lexicon files or folders; default bundled.")
    ] = None,
) -> None:
    """Check lexicons against the schema; report every problem with file, line and field."""
    from framing.lexicon import read_lexicons

    try:
        lex = read_lexicons(paths or None)
    except FramingError as exc:
        raise _fail(exc) from exc
    typer.echo(
        f"ok: {len(lex.infos)} lexicon(s), {len(lex)} entries, {len(lex.concepts)} concepts, "
        f"{len(lex.categories)} categories"
    )


@lexicon_app.command("test")
def lexicon_test(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Lexicon files or folders; default bundled.")
    ] = None,
    spacy_model: Annotated[str | None, typer.Option(help="An installed spaCy pipeline.")] = None,
) -> None:
    """Run every entry's hit and miss examples; print failures and 'N passed, N failed'."""
    from framing.evaluate import run_examples
    from framing.lexicon import read_lexicons

    try:
        results = run_examples(read_lexicons(paths or None), spacy_model=spacy_model)
    except FramingError as exc:
        raise _fail(exc) from exc
    failed = [r for r in results if not r.passed]
    for r in failed:
        typer.echo(f"FAIL {r.entry_id} {r.kind}: {r.example!r} -> {r.found or 'no hit'}")
    typer.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    if failed:
        raise typer.Exit(code=1)


if __name__ == "__main__":  # pragma: no cover - `python -m framing.cli`
    app(prog_name="framing")
