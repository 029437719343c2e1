"""The command line: parse arguments, call the library, map errors to exit codes. Nothing else."""
from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from .cli_conventions import HELP_OPTIONS, VERBOSE_HELP, ConventionalGroup, print_version, set_verbose, uses_cache, \
    verbose
from .errors import ExitCode
from .limits import DOCUMENT_MEMORY_MB, DOCUMENT_SECONDS

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None, pretty_exceptions_enable=False,
                  cls=ConventionalGroup, context_settings=HELP_OPTIONS,
                  help="Read ALPR vendor contracts and show what they let the vendor and others do with the data.\n\n"
                       "Every command takes -h (help), -v (notes and tracebacks) and --version.\n\n"
                       "\b\nExamples:\n"
                       "  clausescan scan contracts/ -o comparison.xlsx --json findings.json\n"
                       "  clausescan check town-a/msa.pdf\n"
                       "  clausescan report findings.json -o memo.docx")
rules_app = typer.Typer(no_args_is_help=True, cls=ConventionalGroup, help="List, show and test rules.")
app.add_typer(rules_app, name="rules")


@app.callback()
def _common(
    version: bool = typer.Option(False, "--version", is_eager=True, callback=print_version,
                                 help="Print the version and exit."),
    verbose_flag: bool = typer.Option(False, "-v", "--verbose", callback=set_verbose, help=VERBOSE_HELP),
):
    """Options of every command (handled by ConventionalGroup when given after the command's name)."""

CACHE_HELP = "Where page text, OCR results and findings are cached (default: ~/.cache/clausescan)."
TIME_LIMIT_HELP = "Stop reading a document after this many seconds: it becomes an error row (0: no limit)."
MEMORY_LIMIT_HELP = "Stop reading a document that needs this many MB more memory: an error row (0: no limit)."

class OcrMode(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


def _load(rules_dirs):
    from .rules.loader import load_rules
    return load_rules(rules_dirs or [])


def _profile(state: Optional[str]):
    from .profiles import load_profile
    return load_profile(state) if state else None


HTML_HELP = "Write the HTML report: one file to open in a browser, each quote highlighted on its page."
PROFILE_HELP = "Check against a state's ALPR law: postal code or name (see 'clausescan profiles')."


REVIEWS_HELP = "The reviews file to apply (default: reviews.yaml in this folder, if there is one)."


def _reviews(path: Optional[Path]):
    from .review import for_scan
    return for_scan(path)


def _cache(no_cache: bool, cache_dir: Optional[Path]):
    from .cache import Cache
    return uses_cache(None if no_cache else Cache(cache_dir))


@app.command()
def scan(
    paths: List[Path] = typer.Argument(..., help="Contract files and folders (folders are walked recursively)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output",
                                          help="Write the comparison workbook (.xlsx), or the findings as .json "
                                               "or .csv: the name's extension says which."),
    json_path: Optional[Path] = typer.Option(None, "--json", help="Write the findings JSON ('-': to stdout)."),
    csv_dir: Optional[Path] = typer.Option(None, "--csv", help="Write findings.csv, summary.csv and towns.csv to "
                                                               "this folder ('-': findings.csv to stdout)."),
    html_path: Optional[Path] = typer.Option(None, "--html", help=HTML_HELP),
    rules: List[Path] = typer.Option([], "--rules", help="A folder of extra rules; adds or overrides rules by id."),
    ocr: OcrMode = typer.Option(OcrMode.auto, "--ocr", help="OCR scanned pages: auto, always or never."),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", help=CACHE_HELP),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not read or write the cache."),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help="Documents read at once (default: cores)."),
    dask: Optional[str] = typer.Option(None, "--dask", metavar="ADDRESS",
                                       help="Run on a Dask cluster, e.g. tcp://scheduler:8786 (pip install "
                                            "'clausescan[dask]')."),
    profile: Optional[str] = typer.Option(None, "--profile", help=PROFILE_HELP),
    baseline: Optional[Path] = typer.Option(None, "--baseline",
                                            help="The vendor's template: show what each contract changed in it."),
    include: List[str] = typer.Option([], "--include", metavar="GLOB",
                                      help="Under folders, read only files matching this pattern (e.g. '*.pdf'); "
                                           "repeatable; also reads files the defaults skip."),
    exclude: List[str] = typer.Option([], "--exclude", metavar="GLOB",
                                      help="Under folders, skip files matching this pattern (e.g. 'drafts/*'); "
                                           "repeatable. Source code, data files and dotfiles are skipped anyway."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="Print nothing but errors."),
    time_limit: float = typer.Option(DOCUMENT_SECONDS, "--time-limit", min=0, help=TIME_LIMIT_HELP),
    memory_limit: int = typer.Option(DOCUMENT_MEMORY_MB, "--memory-limit", min=0, help=MEMORY_LIMIT_HELP),
    reviews: Optional[Path] = typer.Option(None, "--reviews", help=REVIEWS_HELP),
):
    """Scan contracts and write the findings. Files that are not contracts (letters, notes,
    invoices) are listed with the reason and get no verdicts.

    \b
    Examples:
      clausescan scan contracts/ -o comparison.xlsx --json findings.json
      clausescan scan town-a/msa.pdf records.zip -o findings.csv
      clausescan scan contracts/ --json - | jq '.towns'
      clausescan scan contracts/ --profile me --baseline template.pdf -o comparison.xlsx
    """
    import time

    from .pipeline import scan as run_scan
    from .report import terminal
    from .report.atomic import STDOUT, check_output
    from .report.outputs import one_stdout, output_format

    if dask and workers:
        from .errors import UsageError
        raise UsageError("--workers and --dask cannot be used together; the cluster's workers read the documents.")
    output_fmt = output_format(output, "-o", ("xlsx", "json", "csv")) if output else None
    for path, option, fmt in ((json_path, "--json", "json"), (html_path, "--html", "html")):
        if path:
            output_format(path, option, (fmt,))
    to_stdout = one_stdout(output, json_path, csv_dir)
    for path, option, folder in ((output, "-o", False), (json_path, "--json", False), (csv_dir, "--csv", True),
                                 (html_path, "--html", False)):
        check_output(path, option, folder)
    started = time.monotonic()
    with terminal.progress_bar(enabled=not quiet) as progress:
        result = run_scan(paths, rules=_load(rules), ocr=ocr.value, cache=_cache(no_cache, cache_dir), workers=workers,
                          progress=progress, dask=dask, profile=profile, baseline=baseline,
                          time_limit=time_limit, memory_limit=memory_limit, include=include, exclude=exclude,
                          reviews=_reviews(reviews))
    seconds = time.monotonic() - started
    if json_path:
        result.to_json(json_path)
    if output and output_fmt:
        {"xlsx": result.to_xlsx, "json": result.to_json, "csv": result.to_findings_csv}[output_fmt](output)
    if csv_dir:
        result.to_csv(csv_dir)
    if html_path:
        result.to_html(html_path)
    if not quiet:   # on stderr when stdout carries an output
        terminal.print_scan_summary(result, written=[p for p in (output, json_path, csv_dir, html_path)
                                                     if p and str(p) != STDOUT], err=to_stdout)
        if verbose():
            terminal.print_notes(result.documents, err=to_stdout)
        typer.echo(terminal.totals_line(result, seconds), err=to_stdout)
    if any(d.document.status != "ok" for d in result.documents):
        raise typer.Exit(ExitCode.files_unreadable)


@app.command()
def check(
    file: Path = typer.Argument(..., help="One contract file."),
    rules: List[Path] = typer.Option([], "--rules", help="A folder of extra rules."),
    ocr: OcrMode = typer.Option(OcrMode.auto, "--ocr", help="OCR scanned pages: auto, always or never."),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", help=CACHE_HELP),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not read or write the cache."),
    profile: Optional[str] = typer.Option(None, "--profile", help=PROFILE_HELP),
    html_path: Optional[Path] = typer.Option(None, "--html", help=HTML_HELP),
    time_limit: float = typer.Option(DOCUMENT_SECONDS, "--time-limit", min=0, help=TIME_LIMIT_HELP),
    memory_limit: int = typer.Option(DOCUMENT_MEMORY_MB, "--memory-limit", min=0, help=MEMORY_LIMIT_HELP),
    reviews: Optional[Path] = typer.Option(None, "--reviews", help=REVIEWS_HELP),
    md: Optional[Path] = typer.Option(None, "--md", help="Also write the check as Markdown, with links to the pages."),
    json_path: Optional[Path] = typer.Option(None, "--json", help="Also write the findings JSON (as scan --json)."),
):
    """Check one contract and print what it allows, with quotes, pages and sections.

    \b
    Examples:
      clausescan check town-a/msa.pdf
      clausescan check town-a/msa.pdf --profile me
    """
    from .errors import UsageError
    from .pipeline import scan as run_scan
    from .report.atomic import check_output
    from .report.check import render, write_outputs
    from .report.outputs import output_format

    if file.is_dir():
        raise UsageError(f"{file} is a folder; check reads one contract (use 'clausescan scan' for folders).")
    for path, option, fmt in ((html_path, "--html", "html"), (md, "--md", "md"), (json_path, "--json", "json")):
        if path:
            output_format(path, option, (fmt,))
            check_output(path, option)
    result = run_scan([file], rules=_load(rules), ocr=ocr.value, cache=_cache(no_cache, cache_dir), profile=profile,
                      time_limit=time_limit, memory_limit=memory_limit, reviews=_reviews(reviews))
    for document in result.documents:
        render(document, result.rules)
    if result.reviews and result.reviews.applied_or_lost:
        typer.echo(result.reviews.line())
    if verbose():
        from .report.terminal import print_notes
        print_notes(result.documents)
    if html_path:
        result.to_html(html_path)
        typer.echo(f"wrote {html_path}", err=True)
    for path in write_outputs(result, md=md, json_path=json_path):
        typer.echo(f"wrote {path}")
    if any(d.document.status != "ok" for d in result.documents):   # partly read too, as scan does
        raise typer.Exit(ExitCode.files_unreadable)


@app.command()
def diff(
    old: Path = typer.Argument(..., help="The old version, e.g. the vendor's template."),
    new: Path = typer.Argument(..., help="The new version, e.g. the town's signed agreement."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write a workbook with a Changes sheet (.xlsx)."),
    md: Optional[Path] = typer.Option(None, "--md", help="Write the changes as Markdown, for a memo ('-': stdout)."),
    rules: List[Path] = typer.Option([], "--rules", help="A folder of extra rules."),
    ocr: OcrMode = typer.Option(OcrMode.auto, "--ocr", help="OCR scanned pages: auto, always or never."),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", help=CACHE_HELP),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not read or write the cache."),
):
    """Show what changed between two versions of a contract: protections gained and lost first.

    \b
    Examples:
      clausescan diff terms-2024.pdf terms-2026.pdf
      clausescan diff template.pdf town-a/msa.pdf -o changes.xlsx --md changes.md
    """
    from rich.console import Console

    from .pipeline import diff_files
    from .report import changes
    from .report.atomic import check_output
    from .report.outputs import one_stdout, output_format

    if output:
        output_format(output, "-o", ("xlsx",))
    if md:
        output_format(md, "--md", ("md",))
    to_stdout = one_stdout(md)
    for path, option in ((output, "-o"), (md, "--md")):
        check_output(path, option)
    library = _load(rules)
    result = diff_files(old, new, rules=library, ocr=ocr.value, cache=_cache(no_cache, cache_dir))
    changes.render(result, library.rules, Console(stderr=True, highlight=False) if to_stdout else None)
    if output:
        changes.write_xlsx(result, library.rules, output)
        typer.echo(f"wrote {output}", err=to_stdout)
    if md:
        changes.write_markdown(result, library.rules, md)
        if not to_stdout:
            typer.echo(f"wrote {md}")
    if result.old.document.status != "ok" or result.new.document.status != "ok":
        raise typer.Exit(ExitCode.files_unreadable)


class MemoFormat(str, Enum):
    docx = "docx"
    md = "md"
    html = "html"


@app.command()
def report(
    findings: Path = typer.Argument(..., help="A findings file written by 'clausescan scan --json'."),
    output: Path = typer.Option(..., "-o", "--output",
                                help="Where to write the memo: a name ending .docx or .md says the format, "
                                     ".html writes the HTML report ('-': Markdown to stdout)."),
    fmt: Optional[MemoFormat] = typer.Option(None, "--format",
                                             help="docx, md or html, for a name without that extension."),
    rules: List[Path] = typer.Option([], "--rules", help="A folder of extra rules (for their titles)."),
    profile: Optional[str] = typer.Option(None, "--profile", help=PROFILE_HELP + " Default: the scan's profile."),
    reviews: Optional[Path] = typer.Option(None, "--reviews", help=REVIEWS_HELP + " Without one, the reviews the "
                                                                                  "findings file records."),
):
    """Write a memo for testimony: counts over towns, then per town the concerns and the safeguards
    (as model language) with quotes and citations, the missing safeguards, and the methods.
    With an .html name (or --format html), the HTML report instead: each quote highlighted on its page.

    \b
    Examples:
      clausescan report findings.json -o memo.docx
      clausescan report findings.json -o memo.md --profile me
      clausescan report findings.json -o report.html
      clausescan report findings.json -o - | less
    """
    from .report import memo
    from .report.atomic import STDOUT, check_output
    from .report.json import read
    from .report.outputs import output_format

    chosen = output_format(output, "-o", tuple(f.value for f in MemoFormat), fmt.value if fmt else None)
    check_output(output, "-o")
    result = read(findings, _load(rules))
    if review_file := _reviews(reviews):
        from .review import apply as apply_reviews
        result.reviews = apply_reviews(result, review_file)
        profile = profile or (result.profile.state if result.profile else None)   # the scan's law verdicts, judged again
    if profile:
        from .law import apply as judge_law
        judge_law(result, _profile(profile))
    if chosen == MemoFormat.html.value:
        from .report import html
        html.write_findings(result, output, findings)
    else:
        memo.write(result, output, chosen)
    if str(output) != STDOUT:
        typer.echo(f"wrote {output}")


@app.command()
def review(
    findings: Path = typer.Argument(..., help="A findings file written by 'clausescan scan --json'."),
    wrong: List[str] = typer.Option([], "--wrong", metavar="ID", help="Mark this finding wrong (repeatable)."),
    confirm: List[str] = typer.Option([], "--confirm", metavar="ID", help="Mark this finding confirmed (repeatable)."),
    forget: List[str] = typer.Option([], "--forget", metavar="ID", help="Remove this finding's review (repeatable)."),
    note: Optional[str] = typer.Option(None, "--note", help="A note kept with the findings marked in this call."),
    reviews: Path = typer.Option(Path("reviews.yaml"), "--reviews", help="The reviews file to write."),
    list_all: bool = typer.Option(False, "--list", help="List every finding with its id and review (the default)."),
    interactive: bool = typer.Option(False, "-i", "--interactive",
                                     help="Ask about each finding not yet reviewed: confirmed, wrong or skip."),
):
    """Mark findings confirmed or wrong, once: every later scan, report and check applies the
    reviews file, leaving out the findings marked wrong. Ids come from --list.

    \b
    Examples:
      clausescan review findings.json --list
      clausescan review findings.json --wrong ID --note "a recital, not a term"
      clausescan review findings.json -i
    """
    from . import review as review_mod
    from .errors import UsageError
    from .report.json import read

    if note is not None and not (wrong or confirm):
        raise UsageError("--note goes with --wrong ID or --confirm ID, the findings it is about.")
    scanned = read(findings, same_rules=False)
    review_file = review_mod.load(reviews)
    changed = [(status, review_mod.mark(scanned, review_file, ids, status, note))
               for status, ids in ((review_mod.WRONG, wrong), (review_mod.CONFIRMED, confirm), (None, forget)) if ids]
    if changed:
        review_file.save()
        for status, entries in changed:
            typer.echo(f"{'forgot the review of' if status is None else 'marked ' + status + ':'} "
                       + ", ".join(e.id for e in entries))
        typer.echo(f"wrote {reviews}; the next scan, report or check applies it (from the cache: nothing is read again)")
    if interactive:
        asked = review_mod.ask_each(scanned, review_file, lambda q: typer.prompt(q, default="", show_default=False),
                                    typer.echo)
        typer.echo(f"marked {asked} finding(s)" + (f"; wrote {reviews}" if asked else ""))
    elif list_all or not changed:
        typer.echo(review_mod.list_text(scanned, review_file), nl=False)


@app.command()
def profiles():
    """List the state law profiles: each limit with its citation, and whether it was verified.

    \b
    Example:
      clausescan profiles
    """
    from .profiles import available
    from .report.law import verified_word

    for profile in available():
        typer.echo(f"{profile.state.lower()}  {profile.name}")
        for limit in profile.limits:
            bound = f" {limit.max}" if limit.max else ""
            typer.echo(f"    {limit.kind}{bound}  {limit.citation}  ({verified_word(limit.verified)}, "
                       f"checked {limit.checked.isoformat()})")


@app.command()
def followup(
    findings: Path = typer.Argument(..., help="A findings file written by 'clausescan scan --json'."),
    md: Optional[Path] = typer.Option(None, "--md", help="Also write the requests as Markdown ('-': stdout)."),
    csv_path: Optional[Path] = typer.Option(None, "--csv", help="Also write the requests as CSV, one row per item "
                                                                "('-': stdout)."),
):
    """List, per town, the documents the contracts incorporate by reference that were not scanned.

    \b
    Examples:
      clausescan followup findings.json
      clausescan followup findings.json --md requests.md --csv requests.csv
    """
    from . import followup as followup_mod
    from .report import followup as followup_report
    from .report.atomic import STDOUT, check_output, write_text
    from .report.csv import render
    from .report.json import read
    from .report.outputs import one_stdout, output_format

    for path, option, fmt in ((md, "--md", "md"), (csv_path, "--csv", "csv")):
        if path:
            output_format(path, option, (fmt,))
            check_output(path, option)
    to_stdout = one_stdout(md, csv_path)
    requests = followup_mod.followup(read(findings, same_rules=False))
    if not to_stdout:   # the requests themselves are the output on stdout
        typer.echo(followup_report.to_text(requests), nl=False)
    if md:
        write_text(md, followup_report.to_markdown(requests))
    if csv_path:
        write_text(csv_path, render(followup_report.csv_rows(requests), followup_report.CSV_COLUMNS))
    for path in (p for p in (md, csv_path) if p and str(p) != STDOUT):
        typer.echo(f"wrote {path}", err=True)


@rules_app.command("list")
def rules_list(rules: List[Path] = typer.Option([], "--rules", help="A folder of extra rules.")):
    """List the rules: id, category, severity and title.

    \b
    Examples:
      clausescan rules list
      clausescan rules list --rules my-rules/
    """
    for rule in _load(rules).rules:
        typer.echo(f"{rule.id:26} {rule.category:12} {rule.severity:7} {rule.title}")


@rules_app.command("show")
def rules_show(rule_id: str, rules: List[Path] = typer.Option([], "--rules", help="A folder of extra rules.")):
    """Show one rule: why it matters, where it comes from, and its examples.

    \b
    Example:
      clausescan rules show data-sale
    """
    from .errors import UsageError

    library = _load(rules)
    rule = library.by_id.get(rule_id)
    if rule is None:
        raise UsageError(f"no rule with id {rule_id!r}; run 'clausescan rules list' to see the ids.")
    typer.echo(f"{rule.id}: {rule.title}\ncategory {rule.category}, severity {rule.severity}, file {rule.source}\n")
    typer.echo(" ".join(rule.why.split()) + "\n")
    typer.echo("Matches:")
    for ex in rule.examples.match:
        typer.echo(f"  [{ex.polarity}{'' if ex.value is None else f' = {ex.value}'}] {ex.text}")
    typer.echo("Does not match:")
    for ex in rule.examples.no_match:
        typer.echo(f"  {ex.text}")
    if rule.examples.todo:
        typer.echo("Known misses (not yet read right):")
        for ex in rule.examples.todo:
            typer.echo(f"  [{ex.polarity}] {ex.text}\n     {ex.note}")


@rules_app.command("test")
def rules_test(
    directory: Optional[Path] = typer.Argument(None, help="A folder of your own rules (default: the built-in library)."),
    rule_id: Optional[str] = typer.Option(None, "--rule", help="Test only this rule."),
):
    """Run every rule's examples; exit 4 if any is not read as its rule file says.

    \b
    Examples:
      clausescan rules test
      clausescan rules test my-rules/ --rule widget
    """
    from .rules.loader import load_rules
    from .rules.selftest import run_examples

    library = load_rules([directory] if directory else [])
    results = run_examples(library, {rule_id} if rule_id else None)
    # a known miss (todo) is expected to fail; one that passes is reported, to be promoted
    failed = [r for r in results if r.passed == (r.kind == "todo")]
    for r in failed:
        typer.echo(f"FAIL {r.rule} {r.kind}: {r.text}\n     {r.detail}")
    known = sum(1 for r in results if r.kind == "todo" and not r.passed)
    typer.echo(f"{len(results) - len(failed) - known} passed, {len(failed)} failed"
               + (f" ({known} known misses)" if known else ""))
    if failed:
        raise typer.Exit(int(ExitCode.rule_examples_failed))


def main() -> None:
    """Entry point; errors are mapped to exit codes by ConventionalGroup (cli_conventions.py)."""
    app()
