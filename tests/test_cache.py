"""The caches save work and never change a result: a warm re-scan reads nothing again, a rule
change re-runs only the rule that changed, and a damaged entry is rebuilt, not trusted.

The scans here read in this process (one worker, no time limit: no worker process to watch), so
that what they read, match and compile is recorded here."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from clausescan import pipeline
from clausescan.cache import Cache
from clausescan.report.json import to_dict
from clausescan.rules.engine import COMPILED, CompiledLibrary
from clausescan.rules import loader
from clausescan.rules.loader import builtin_rules_dir, load_rules

FILES = ["terms-2024.pdf", "prose-terms.txt", "clause-across-page-break.pdf"]


@pytest.fixture
def paths(fixture_file):
    return [fixture_file(name) for name in FILES]


def _json(result):
    data = to_dict(result)
    data.pop("tool")
    return data


def _changed_rules(tmp_path, rule_id: str):
    """An override folder in which one rule differs from the built-in one (its title)."""
    source = next(builtin_rules_dir().rglob(f"{rule_id}.yaml"))
    folder = tmp_path / "changed-rules"
    folder.mkdir()
    target = folder / source.name
    shutil.copy(source, target)
    target.write_text(target.read_text(encoding="utf-8").replace("title: ", "title: (changed) ", 1), encoding="utf-8")
    return load_rules([folder])


@pytest.fixture
def matched_rules(monkeypatch):
    """The ids of the rules each document was matched against, in this process."""
    calls: list[list[str]] = []
    original = pipeline.match_document

    def recording(document, compiled, *args):
        calls.append(sorted(r.rule.id for r in compiled.rules))
        return original(document, compiled, *args)

    monkeypatch.setattr(pipeline, "match_document", recording)
    return calls


def _no_extraction(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("a cached document was read again")
    monkeypatch.setattr(pipeline, "extract", fail)


def test_warm_rescan_reads_and_matches_nothing_again(paths, tmp_path, monkeypatch, matched_rules):
    uncached = _json(pipeline.scan(paths, workers=1, time_limit=None))
    cache = Cache(tmp_path / "cache")
    matched_rules.clear()
    cold = pipeline.scan(paths, cache=cache, workers=1, time_limit=None)
    assert len(matched_rules) == len(paths)
    matched_rules.clear()
    _no_extraction(monkeypatch)
    warm = pipeline.scan(paths, cache=cache, workers=1, time_limit=None)
    assert matched_rules == []
    assert _json(warm) == _json(cold) == uncached


def test_a_rule_change_rematches_only_that_rule(paths, tmp_path, monkeypatch, matched_rules):
    cache = Cache(tmp_path / "cache")
    pipeline.scan(paths, cache=cache, workers=1, time_limit=None)
    matched_rules.clear()
    changed = _changed_rules(tmp_path, "data-sale")
    _no_extraction(monkeypatch)
    monkeypatch.setattr(pipeline, "classify", lambda document: pytest.fail("a cached document's kind was read again"))
    after = pipeline.scan(paths, rules=changed, cache=cache, workers=1, time_limit=None)
    assert matched_rules == [["data-sale"]] * len(paths)
    monkeypatch.undo()
    assert _json(after) == _json(pipeline.scan(paths, rules=changed, workers=1, time_limit=None))
    assert any(f.rule == "data-sale" for f in after.findings)   # the re-run rule still finds what it found


def test_a_change_of_the_matching_logic_rematches_every_rule_from_the_cached_pages(paths, tmp_path, monkeypatch,
                                                                                 matched_rules):
    cache = Cache(tmp_path / "cache")
    pipeline.scan(paths, cache=cache, workers=1, time_limit=None)
    matched_rules.clear()
    monkeypatch.setattr(pipeline, "MATCH_VERSION", pipeline.MATCH_VERSION + "-next")
    _no_extraction(monkeypatch)   # the pages are still good
    pipeline.scan(paths, cache=cache, workers=1, time_limit=None)
    assert len(matched_rules) == len(paths) and all(len(rules) > 1 for rules in matched_rules)


def test_a_change_of_how_phrases_compile_recompiles_and_rematches_every_rule(paths, tmp_path, monkeypatch,
                                                                            matched_rules, compilations):
    """Other inflections (lemminflect's tables, or terms.PHRASES_VERSION) may find other words in the
    same rule files: neither the compiled library nor any rule's findings are taken from the cache."""
    cache = Cache(tmp_path / "cache")
    pipeline.scan(paths, cache=cache, workers=1, time_limit=None)
    matched_rules.clear()
    compilations.clear()
    monkeypatch.setattr(loader, "phrases_version", lambda: "another inflection table")
    _no_extraction(monkeypatch)   # the pages are still good
    pipeline.scan(paths, cache=cache, workers=1, time_limit=None)
    assert len(compilations) == 1
    assert len(matched_rules) == len(paths) and all(len(rules) > 1 for rules in matched_rules)


@pytest.mark.parametrize("namespace", ["results", "rule-findings", "pages", "kinds", "compiled-rules"])
def test_damaged_cache_entries_are_rebuilt(paths, tmp_path, namespace):
    cache = Cache(tmp_path / "cache")
    expected = _json(pipeline.scan(paths, cache=cache, workers=1, time_limit=None))
    entries = list((tmp_path / "cache" / namespace).rglob("*.json"))
    assert entries
    for number, entry in enumerate(entries):
        entry.write_text(['{"key": ', "not json", '{"key": "k", "value": 1}', "[]"][number % 4])
    assert _json(pipeline.scan(paths, cache=cache, workers=1, time_limit=None)) == expected


def test_entries_of_the_right_shape_but_wrong_content_are_not_trusted(paths, tmp_path):
    cache = Cache(tmp_path / "cache")
    expected = _json(pipeline.scan(paths, cache=cache, workers=1, time_limit=None))
    for entry in (tmp_path / "cache").rglob("*.json"):
        text = entry.read_text()
        entry.write_text(text.replace('"quote"', '"quotation"').replace('"number"', '"page_number"'))
    assert _json(pipeline.scan(paths, cache=cache, workers=1, time_limit=None)) == expected


def _damage(entry, how: str) -> None:
    if how == "not json":
        entry.write_text("not json")
    elif how == "another key":
        entry.write_text('{"key": "another", "value": [[1]]}')
    else:   # the right key, and every block's section number something other than text
        data = json.loads(entry.read_text())
        for block in data["value"]:
            block[4] = 7
        entry.write_text(json.dumps(data))


@pytest.mark.parametrize("how", ["not json", "another key", "section not text"])
def test_a_rule_change_rebuilds_damaged_segmented_documents(paths, tmp_path, how):
    cache = Cache(tmp_path / "cache")
    pipeline.scan(paths, cache=cache, workers=1, time_limit=None)
    entries = list((tmp_path / "cache" / "segmented").rglob("*.json"))
    assert len(entries) == len(paths)
    for entry in entries:
        _damage(entry, how)
    changed = _changed_rules(tmp_path, "data-sale")
    after = _json(pipeline.scan(paths, rules=changed, cache=cache, workers=1, time_limit=None))
    assert after == _json(pipeline.scan(paths, rules=changed, workers=1, time_limit=None))


def test_a_warm_rescan_never_loads_spacy(paths, tmp_path):
    """Half a second of a warm re-scan was importing spaCy, which it does not use."""
    cache = tmp_path / "cache"
    code = ("import sys; from clausescan import pipeline; from clausescan.cache import Cache; "
            "pipeline.scan(sys.argv[2:], cache=Cache(sys.argv[1]), workers=1, time_limit=None); print('spacy' in sys.modules)")
    run = [sys.executable, "-c", code, str(cache), *map(str, paths)]
    cold = subprocess.run(run, capture_output=True, text=True, check=True)
    warm = subprocess.run(run, capture_output=True, text=True, check=True)
    assert (cold.stdout.strip(), warm.stdout.strip()) == ("True", "False")


@pytest.fixture
def compilations(monkeypatch):
    """The rule ids of each library compiled (not loaded from the cache), in this process."""
    calls: list[list[str]] = []
    original = CompiledLibrary._compile

    def recording(self):
        calls.append([rule.id for rule in self.library.rules])
        return original(self)

    monkeypatch.setattr(CompiledLibrary, "_compile", recording)
    return calls


def test_the_compiled_library_is_kept_and_a_rule_edit_recompiles(tmp_path, compilations):
    cache = Cache(tmp_path / "cache")
    library = load_rules()
    CompiledLibrary(library, cache=cache).load()
    CompiledLibrary(load_rules(), cache=cache).load()   # as a new process would: loaded, not compiled
    assert len(compilations) == 1
    changed = _changed_rules(tmp_path, "data-sale")
    edited = CompiledLibrary(changed, cache=cache).load()
    assert len(compilations) == 2 and edited.cache_key != CompiledLibrary(library).cache_key
    assert len(list((tmp_path / "cache" / COMPILED).rglob("*.json"))) == 2


def test_the_cached_compiled_library_finds_the_same(paths, tmp_path, compilations):
    """Only the compiled library is cached: every document is read and matched again, with it."""
    expected = _json(pipeline.scan(paths, workers=1, time_limit=None))
    cache = Cache(tmp_path / "cache")
    CompiledLibrary(load_rules(), cache=cache).load()
    for namespace in ("results", "rule-findings", "segmented", "pages", "kinds"):
        shutil.rmtree(tmp_path / "cache" / namespace, ignore_errors=True)
    compilations.clear()
    assert _json(pipeline.scan(paths, cache=cache, workers=1, time_limit=None)) == expected
    assert compilations == []


@pytest.mark.parametrize("part", ["rules", "patterns", "anchors"])
def test_a_compiled_library_entry_with_a_damaged_part_is_compiled_again(paths, tmp_path, compilations, part):
    expected = _json(pipeline.scan(paths, workers=1, time_limit=None))
    cache = Cache(tmp_path / "cache")
    key = CompiledLibrary(load_rules(), cache=cache).load().cache_key
    [entry] = (tmp_path / "cache" / COMPILED).rglob("*.json")
    data = json.loads(entry.read_text())
    data["value"][part] = {"rules": [[]], "patterns": {"specs": [{"LOWER": {"REGEX": "("}}]},
                           "anchors": {"terms": [], "by_term": {"x": [[["not a bit"]]]}}}[part]
    entry.write_text(json.dumps(data))
    compilations.clear()
    assert _json(pipeline.scan(paths, cache=cache, workers=1, time_limit=None)) == expected
    assert len(compilations) == 1
    assert CompiledLibrary(load_rules())._restore(cache.get(COMPILED, key)) is not None   # rebuilt, and written again


def test_forked_workers_share_the_parents_compiled_library(paths, tmp_path):
    """The parent compiles the library once and no worker compiles it again; a warm re-scan,
    with the compiled library cached, neither compiles nor imports spaCy."""
    cache, log = tmp_path / "cache", tmp_path / "compiled-by"
    code = ("import os, sys; from clausescan import pipeline; from clausescan.cache import Cache; "
            "from clausescan.rules.engine import CompiledLibrary; original = CompiledLibrary._compile; "
            "CompiledLibrary._compile = lambda self: open(sys.argv[2], 'a').write(f'{os.getpid()}\\n') and original(self); "
            "pipeline.scan(sys.argv[3:], cache=Cache(sys.argv[1]), workers=2); print(os.getpid(), 'spacy' in sys.modules)")
    run = [sys.executable, "-c", code, str(cache), str(log), *map(str, paths)]
    cold = subprocess.run(run, capture_output=True, text=True, check=True).stdout.split()
    assert log.read_text().split() == [cold[0]] and cold[1] == "True"
    warm = subprocess.run(run, capture_output=True, text=True, check=True).stdout.split()
    assert log.read_text().split() == [cold[0]] and warm[1] == "False"
