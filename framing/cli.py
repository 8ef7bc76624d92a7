"""The `framing` command: each subcommand reads input, calls one public function, writes output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from framing.corpus import DEFAULT_MAX_CHARS, ColumnMap
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

InputsArg = Annotated[
    list[Path],
    typer.Argument(help="Corpus files (.csv .tsv .jsonl .parquet .txt .html) or folders."),
]
OutOpt = Annotated[Path, typer.Option("--out", "-o", help="Output folder.")]
IdColOpt = Annotated[str, typer.Option(help="Column with article ids.")]
OutletColOpt = Annotated[str, typer.Option(help="Column with outlet names.")]
TextColOpt = Annotated[str, typer.Option(help="Column with article text.")]
ModelOpt = Annotated[
    str | None, typer.Option(help="An installed spaCy pipeline, e.g. en_core_web_sm.")
]
SeedOpt = Annotated[int, typer.Option(help="Seed of bootstrap resamples and permutations.")]
HtmlColOpt = Annotated[
    str | None,
    typer.Option(help="Column of HTML pages to extract articles from (default: 'html' when "
                 "there is no text column)."),
]  # fmt: skip
DedupeIdsOpt = Annotated[
    bool,
    typer.Option("--dedupe-ids",
                 help="Keep the first record of a repeated id and skip the others (default: "
                 "error)."),
]  # fmt: skip
MaxCharsOpt = Annotated[
    int, typer.Option(help="Skip articles longer than this many characters; 0 = no limit.")
]
LanguageOpt = Annotated[
    str | None,
    typer.Option(help="Analyse only articles in this language (ISO 639-1); default: the "
                 "lexicons' language."),
]  # fmt: skip
AnyLanguageOpt = Annotated[
    bool, typer.Option("--any-language", help="Analyse articles in every language.")
]
CleanOpt = Annotated[
    bool | None,
    typer.Option("--clean/--no-clean",
                 help="Remove scrape boilerplate before matching: Read more / share / subscribe "
                 "prompts, comment forms, related-story boxes and headline lists, teasers "
                 "repeated by the story below them, and duplicate lines; counted in "
                 "articles.csv's message. Default: on for .txt/.html files, off for tables."),
]  # fmt: skip
SplitOpt = Annotated[
    bool,
    typer.Option("--split-articles",
                 help="Split each .txt/.html file that holds several articles at "
                 "headline/standfirst blocks (after cleaning); ids FILE#1, FILE#2, ..."),
]  # fmt: skip
SyndicatedOpt = Annotated[
    str,
    typer.Option(help="Near-duplicate (syndicated) articles in profiles: keep (count all), "
                 "first (the first of each story), drop (none of a story's articles); all flag "
                 "copies in articles.csv's duplicate_of. off: do not look for them."),
]  # fmt: skip
SyndicationThresholdOpt = Annotated[
    float,
    typer.Option(min=0.0, max=1.0,
                 help="Estimated Jaccard similarity of 5-word shingles at or above which an "
                 "article is a copy."),
]  # fmt: skip


def _input_options(
    *,
    dedupe_ids: bool,
    max_chars: int,
    language: str | None,
    any_language: bool,
    clean: bool | None,
    split_articles: bool,
    syndicated: str,
    syndication_threshold: float,
) -> dict[str, object]:
    """The keyword arguments of `framing.analyze` that the input options give."""
    return {
        "dedupe_ids": dedupe_ids,
        "max_chars": max_chars or None,
        "language": None if any_language else (language or "lexicon"),
        "clean": clean,
        "split": split_articles,
        "syndicated": syndicated,
        "syndication_threshold": syndication_threshold,
    }


BootstrapOpt = Annotated[int, typer.Option(help="Bootstrap resamples.")]


def _columns(id_col: str, outlet_col: str, text_col: str, html_col: str | None = None) -> ColumnMap:
    return ColumnMap(id=id_col, outlet=outlet_col, text=text_col, explicit_id=id_col != "id",
                     explicit_outlet=outlet_col != "outlet", html=html_col or "html",
                     explicit_html=html_col is not None)  # fmt: skip


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
    run = json.loads((result.out / "run.json").read_text(encoding="utf-8"))
    typer.echo(run["syndication"]["note"])
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
    inputs: InputsArg,
    out: OutOpt,
    lexicon: LexiconOpt = None,
    id_col: IdColOpt = "id",
    outlet_col: OutletColOpt = "outlet",
    text_col: TextColOpt = "text",
    spacy_model: ModelOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="csv or parquet.")] = "csv",
    seed: SeedOpt = 0,
    bootstrap: BootstrapOpt = 2000,
    category_level: Annotated[
        int, typer.Option(help="Category depth in profiles; 0 = full ids.")
    ] = 1,
    processes: Annotated[int, typer.Option(help="Worker processes for matching.")] = 1,
    chunk_size: Annotated[int, typer.Option(help="Articles per chunk held in memory.")] = 1000,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Continue an interrupted run in --out after its last finished chunk.",
        ),
    ] = False,
    scheduler: Annotated[
        str | None,
        typer.Option(
            metavar="ADDRESS",
            help="A running Dask scheduler, e.g. tcp://127.0.0.1:8786: match on its workers.",
        ),
    ] = None,
    html_col: HtmlColOpt = None,
    dedupe_ids: DedupeIdsOpt = False,
    max_chars: MaxCharsOpt = DEFAULT_MAX_CHARS,
    language: LanguageOpt = None,
    any_language: AnyLanguageOpt = False,
    clean: CleanOpt = None,
    split_articles: SplitOpt = False,
    syndicated: SyndicatedOpt = "keep",
    syndication_threshold: SyndicationThresholdOpt = 0.8,
) -> None:
    """Match lexicons in a corpus; write articles, matches and profiles to --out."""
    from framing.analyze import analyze as run
    from framing.lexicon import read_lexicons

    try:
        result = run(
            inputs,
            out,
            lexicon=read_lexicons(lexicon) if lexicon else None,
            columns=_columns(id_col, outlet_col, text_col, html_col),
            spacy_model=spacy_model,
            fmt=fmt,
            seed=seed,
            n_boot=bootstrap,
            category_level=category_level or None,
            processes=processes,
            chunk_size=chunk_size,
            resume=resume,
            scheduler=scheduler,
            **_input_options(  # type: ignore[arg-type]
                dedupe_ids=dedupe_ids,
                max_chars=max_chars,
                language=language,
                any_language=any_language,
                clean=clean,
                split_articles=split_articles,
                syndicated=syndicated,
                syndication_threshold=syndication_threshold,
            ),
        )
    except FramingError as exc:
        raise _fail(exc) from exc
    _print_summary(result)


@app.command()
def report(
    inputs: InputsArg,
    out: OutOpt,
    lexicon: LexiconOpt = None,
    id_col: IdColOpt = "id",
    outlet_col: OutletColOpt = "outlet",
    text_col: TextColOpt = "text",
    spacy_model: ModelOpt = None,
    seed: SeedOpt = 0,
    bootstrap: BootstrapOpt = 2000,
    html_col: HtmlColOpt = None,
    dedupe_ids: DedupeIdsOpt = False,
    max_chars: MaxCharsOpt = DEFAULT_MAX_CHARS,
    language: LanguageOpt = None,
    any_language: AnyLanguageOpt = False,
    clean: CleanOpt = None,
    split_articles: SplitOpt = False,
    syndicated: SyndicatedOpt = "keep",
    syndication_threshold: SyndicationThresholdOpt = 0.8,
) -> None:
    """Analyse, compare outlets, draw figures and write a self-contained index.html to --out."""
    from framing.lexicon import read_lexicons

    try:
        _analyze_and_report(inputs, out, read_lexicons(lexicon or None),
                            columns=_columns(id_col, outlet_col, text_col, html_col),
                            spacy_model=spacy_model, seed=seed, n_boot=bootstrap,
                            **_input_options(
                                dedupe_ids=dedupe_ids, max_chars=max_chars, language=language,
                                any_language=any_language, clean=clean,
                                split_articles=split_articles, syndicated=syndicated,
                                syndication_threshold=syndication_threshold))  # fmt: skip
    except FramingError as exc:
        raise _fail(exc) from exc


def _analyze_and_report(inputs: list[Path], out: Path, lexicon: object, **options: object) -> None:
    from framing.analyze import analyze as run
    from framing.lexicon import Lexicon
    from framing.report import write_report

    assert isinstance(lexicon, Lexicon)
    result = run(inputs, out, lexicon=lexicon, **options)  # type: ignore[arg-type]
    _print_summary(result)
    seed, n_boot = options.get("seed", 0), options.get("n_boot", 2000)
    index = write_report(out, lexicon=lexicon, seed=seed, n_boot=n_boot)  # type: ignore[arg-type]
    typer.echo(f"\nreport: {index}")


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("framing-demo"),
) -> None:
    """Analyse the bundled sample corpus (4 fictional outlets) and write its report."""
    from framing.corpus import sample_corpus_path
    from framing.lexicon import read_lexicons

    try:
        _analyze_and_report([sample_corpus_path()], out, read_lexicons())
    except FramingError as exc:
        raise _fail(exc) from exc


@app.command()
def compare(
    folder: Annotated[Path, typer.Argument(help="An output folder of `framing analyze`.")],
    a: Annotated[
        str | None, typer.Option("--a", help="Outlet to compare; default each in turn.")
    ] = None,
    b: Annotated[
        str | None, typer.Option("--b", help="Outlet to compare with; default all others.")
    ] = None,
    voice: Annotated[str, typer.Option(help="own, quoted or all.")] = "own",
    seed: Annotated[int, typer.Option(help="Seed of resamples and permutations.")] = 0,
    bootstrap: Annotated[int, typer.Option(help="Bootstrap resamples.")] = 2000,
    permutations: Annotated[int, typer.Option(help="Permutations for p-values.")] = 2000,
) -> None:
    """Compare outlets per category (rate difference and ratio, p-values) and per entry (log-odds).

    Writes comparison.csv and, for --a, log_odds.csv into FOLDER.
    """
    import pandas as pd

    from framing.compare import compare_all, compare_outlets, entry_log_odds

    def table(name: str) -> pd.DataFrame:
        path = folder / f"{name}.csv"
        if not path.is_file():
            raise _fail(
                FramingError(f"{path}: not found; run `framing analyze … --out {folder}` first")
            )
        return pd.read_csv(path, keep_default_na=False, dtype={"article_id": str, "outlet": str})

    from framing.syndication import counted_articles

    articles, profiles = table("articles"), table("article_profiles")
    run_file = folder / "run.json"
    if run_file.is_file():  # count the articles the profiles counted (--syndicated)
        articles = counted_articles(articles, json.loads(run_file.read_text(encoding="utf-8")))
    if voice not in ("own", "quoted", "all"):
        raise _fail(FramingError(f"--voice: expected own, quoted or all, got {voice!r}"))
    options = {"voice": voice, "seed": seed, "n_boot": bootstrap, "n_perm": permutations}
    try:
        result = (
            compare_outlets(profiles, articles, a, b, **options)  # type: ignore[arg-type]
            if a is not None
            else compare_all(profiles, articles, **options)  # type: ignore[arg-type]
        )
    except ValueError as exc:
        raise _fail(exc) from exc
    result.to_csv(folder / "comparison.csv", index=False, float_format="%.6g", lineterminator="\n")
    shown = result[result["count_a"] + result["count_b"] > 0]
    typer.echo(f"{voice} voice; rate = hits per 1,000 tokens; 95% bootstrap CI; BH-adjusted p")
    for row in shown.to_dict("records"):
        typer.echo(
            f"  {row['a']} vs {row['b']}: {row['category']:<16} {row['rate_a']:6.2f} vs "
            f"{row['rate_b']:6.2f}  ratio {row['ratio']:.2f} ({row['ratio_low']:.2f}–"
            f"{row['ratio_high']:.2f})  p_adj {row['p_adjusted']:.3g}"
        )
    written = ["comparison.csv"]
    if a is not None:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        from framing.plot import plot_fightin_words

        odds = entry_log_odds(table("matches"), articles, a, b, voice=voice)
        odds.to_csv(folder / "log_odds.csv", index=False, float_format="%.6g", lineterminator="\n")
        fig, ax = plt.subplots(figsize=(9, 6))
        plot_fightin_words(odds, label_a=a, label_b=b or "all others", ax=ax)
        slug = "".join(c if c.isalnum() else "-" for c in f"{a}-vs-{b or 'rest'}".lower())
        (folder / "figures").mkdir(exist_ok=True)
        figure = folder / "figures" / f"words_{slug}.png"
        fig.savefig(figure, dpi=110, bbox_inches="tight")
        plt.close(fig)
        written += ["log_odds.csv", f"figures/{figure.name}"]
    typer.echo(f"wrote {', '.join(written)} to {folder}")


@app.command()
def kwic(
    folder: Annotated[Path, typer.Argument(help="An output folder of `framing analyze`.")],
    entry: Annotated[str | None, typer.Option(help="An entry id.")] = None,
    category: Annotated[
        str | None, typer.Option(help="A category (includes its sub-categories).")
    ] = None,
    window: Annotated[
        int, typer.Option(help="Characters of context on each side (up to 80).")
    ] = 50,
    out: Annotated[Path | None, typer.Option(help="Also write the lines to this CSV.")] = None,
) -> None:
    """Keyword-in-context lines of an entry's or a category's hits, to read what is counted."""
    from framing.highlight import kwic as lines_of

    try:
        table = lines_of(folder, entry=entry, category=category, window=window)
    except FramingError as exc:
        raise _fail(exc) from exc
    if out is not None:
        table.to_csv(out, index=False, lineterminator="\n")
    for row in table.to_dict("records"):
        who = f" [{row['voice']}{': ' + str(row['speaker']) if row['speaker'] else ''}]"
        where = f"{row['outlet']} {row['article_id']}{who if row['voice'] != 'narrator' else ''}"
        typer.echo(f"{row['left']!s:>{window}}[{row['hit']}]{row['right']!s:<{window}}  {where}")
    typer.echo(f"{len(table)} lines")


@app.command()
def highlight(
    source: Annotated[str, typer.Argument(help="A text file, or - to read standard input.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The HTML page to write.")],
    lexicon: LexiconOpt = None,
) -> None:
    """Write a page that marks and explains every loaded wording of one article."""
    import sys

    from framing.highlight import highlight as mark
    from framing.lexicon import read_lexicons

    try:
        if source == "-":
            text = sys.stdin.read()
        else:
            path = Path(source)
            if not path.is_file():
                raise FramingError(f"{path}: no such file")
            text = path.read_bytes().decode("utf-8", errors="replace")
        page = mark(text, read_lexicons(lexicon or None))
    except FramingError as exc:
        raise _fail(exc) from exc
    page.save(out)
    loaded = int((page.hits["weight"] > 0).sum())
    typer.echo(f"{loaded} loaded wordings marked in {page.n_tokens} words -> {out}")


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


@lexicon_app.command("evaluate")
def lexicon_evaluate(
    gold: Annotated[
        Path, typer.Argument(help="JSONL of {id, text, spans: [{start, end, label}]}.")
    ],
    lexicon: LexiconOpt = None,
    labels: Annotated[
        str | None, typer.Option(help="Comma-separated gold labels that count; default all.")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Write every figure to this CSV.")] = None,
    top: Annotated[int, typer.Option(help="Entries to show, by number of hits.")] = 15,
) -> None:
    """Precision, recall and F1 of lexicon hits against human span annotations."""
    from framing.evaluate import evaluate_spans
    from framing.lexicon import read_lexicons

    try:
        table = evaluate_spans(gold, read_lexicons(lexicon or None), labels=labels)
    except FramingError as exc:
        raise _fail(exc) from exc
    if out is not None:
        table.to_csv(out, index=False, float_format="%.4f", lineterminator="\n")

    def line(row: dict[str, object]) -> str:
        return (
            f"  {row['key']!s:<28} {row['matching']:<8} P {row['precision']:.3f} "
            f"({row['precision_low']:.3f}–{row['precision_high']:.3f}) "
            f"{row['correct']}/{row['hits']}"
            f"   R {row['recall']:.3f} {row['found']}/{row['gold']}   F1 {row['f1']:.3f}"
        )

    label_text = labels or "all labels"
    typer.echo(f"Gold: {gold} ({label_text}); 95% Wilson intervals")
    for level in ("overall", "category"):
        typer.echo(f"{level}:")
        for row in table[table["level"] == level].to_dict("records"):
            typer.echo(line({str(k): v for k, v in row.items()}))
    entries = table[(table["level"] == "entry") & (table["matching"] == "overlap")]
    typer.echo(f"entries with most hits (overlap; all {len(entries)} in --out):")
    for row in (
        entries.sort_values(["hits", "key"], ascending=[False, True]).head(top).to_dict("records")
    ):
        typer.echo(line({str(k): v for k, v in row.items()}))


@lexicon_app.command("convert")
def lexicon_convert(
    src: Annotated[
        Path, typer.Argument(help="Native lexicon (.yaml or folder), LIWC .dic or quanteda .yml.")
    ],
    dst: Annotated[Path, typer.Argument(help="The file to write.")],
    to: Annotated[
        str | None,
        typer.Option(
            help="dic, quanteda or native. Default: dic for .dic; for .yml/.yaml the other YAML "
            "format than SRC's."
        ),
    ] = None,
) -> None:
    """Convert between native lexicons, LIWC .dic and quanteda YAML dictionaries."""
    from framing.interop import convert

    try:
        notes = convert(src, dst, to=to)
    except FramingError as exc:
        raise _fail(exc) from exc
    for note in notes:
        typer.echo(f"note: {note}")
    typer.echo(f"{src} -> {dst}")


review_app = typer.Typer(
    help="Hand review of hits in context -> per-entry precision.", no_args_is_help=True
)
lexicon_app.add_typer(review_app, name="review")


@review_app.command("export")
def review_export(
    inputs: Annotated[
        list[Path], typer.Argument(help="Corpus files or folders to sample hits from.")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Review sheet (CSV) to write.")],
    lexicon: LexiconOpt = None,
    per_entry: Annotated[int, typer.Option(help="Hits sampled per entry at most.")] = 20,
    seed: Annotated[int, typer.Option(help="Seed of the sample.")] = 0,
) -> None:
    """Write a stratified sample of hits per entry, in context, with an empty 'correct' column."""
    from framing.corpus import read_corpus
    from framing.evaluate import review_sample
    from framing.lexicon import read_lexicons
    from framing.match import match_corpus

    try:
        corpus = read_corpus(inputs)
        ok = corpus[corpus["status"] == "ok"]
        matches = match_corpus(ok, read_lexicons(lexicon or None))
    except FramingError as exc:
        raise _fail(exc) from exc
    sheet = review_sample(matches, ok, per_entry=per_entry, seed=seed)
    sheet.to_csv(out, index=False, lineterminator="\n")
    typer.echo(
        f"{len(sheet)} hits of {sheet['entry_id'].nunique()} entries -> {out}; mark 'correct' "
        "with 1 or 0, then run: framing lexicon review import"
    )


@review_app.command("import")
def review_import(
    sheet: Annotated[Path, typer.Argument(help="A review sheet with 'correct' marked 1/0.")],
    lexicon: Annotated[
        list[Path] | None, typer.Option("--lexicon", "-l", help="Lexicon files to update.")
    ] = None,
) -> None:
    """Store each entry's reviewed precision (reviewed: {n, correct}) in its lexicon file."""
    import pandas as pd

    from framing.evaluate import review_counts
    from framing.lexicon import bundled_lexicon_dir, set_reviewed
    from framing.profile import wilson_interval

    try:
        marked = pd.read_csv(sheet, dtype=str, keep_default_na=False)
        counts = review_counts(marked)
        written = set_reviewed(lexicon or [bundled_lexicon_dir()], counts)
    except (FramingError, OSError, KeyError) as exc:
        raise _fail(FramingError(f"{sheet}: {exc}")) from exc
    for entry_id, (n, correct) in sorted(counts.items()):
        low, high = wilson_interval(correct, n)
        where = written.get(entry_id, "not found in any lexicon file")
        typer.echo(f"  {entry_id:<32} {correct}/{n} correct ({low:.0%}–{high:.0%})  {where}")
    typer.echo(f"{len(written)} of {len(counts)} reviewed entries written")


if __name__ == "__main__":  # pragma: no cover - `python -m framing.cli`
    app(prog_name="framing")
