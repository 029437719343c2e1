"""One result model: every field of a Finding is written to the findings JSON, read back from it,
published in its schema and kept by the cache, with no list of field names to keep up, so adding
a field is one edit to models.Finding (and regenerating schema/findings.schema.json)."""
from __future__ import annotations

import dataclasses
import types
import typing

import jsonschema
from pydantic import TypeAdapter

from clausescan import pipeline
from clausescan.models import NOT_WRITTEN, Document, DocumentResult, Finding, Page, ScanResult
from clausescan.report import json as json_report
from clausescan.report.json_schema import _finding_type, findings_schema
from clausescan.rules.loader import load_rules


def _sample(annotation, name: str):
    """A value of the field's type that is not its default."""
    if typing.get_origin(annotation) is typing.Literal:
        return typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return _sample(next(a for a in typing.get_args(annotation) if a is not type(None)), name)
    return {str: f"{name} text", int: 7, float: 2.5}[annotation]


def _filled(cls) -> Finding:
    hints = typing.get_type_hints(cls)
    return cls(**{f.name: _sample(hints[f.name], f.name) for f in dataclasses.fields(cls)})


def _written(cls) -> set[str]:
    return {f.name for f in dataclasses.fields(cls) if f.metadata.get("json") != NOT_WRITTEN}


def test_every_field_of_a_finding_is_written_read_back_published_and_cached():
    finding = _filled(Finding)
    assert set(finding.to_json()) == _written(Finding)
    assert Finding.from_json(finding.to_json(), finding.file) == finding
    schema = findings_schema()
    assert set(schema["$defs"]["Finding"]["properties"]) == _written(Finding)
    jsonschema.validate(finding.to_json(), {"$defs": schema["$defs"], "$ref": "#/$defs/Finding"})
    # the cache keeps the findings of each rule, and of each result, in the same form
    assert pipeline._findings_from_cache([finding.to_json()], finding.file) == [finding]
    library = load_rules()
    document = Document(finding.file, "0" * 64, "txt", [Page(1, "Vendor may sell data.")])
    kept = dataclasses.replace(finding, review="confirmed")
    result = ScanResult([DocumentResult(document, [kept], {"data-sale": "concern"})], library.rules,
                        library.version, "test")
    cached = pipeline._result_from_cache({"document": document.to_json(),
                                          "result": json_report.document_dict(result.documents[0])}, finding.file)
    assert cached.findings == [kept] and cached.document == document
    assert json_report.from_dict(json_report.to_dict(result)).documents[0].findings == [kept]


def test_a_field_added_to_finding_needs_no_other_edit():
    added = dataclasses.make_dataclass("Finding", [("confidence", typing.Optional[float], dataclasses.field(default=None))],
                                       bases=(Finding,), namespace={"__module__": Finding.__module__})
    finding = _filled(added)
    assert finding.to_json()["confidence"] == 2.5
    assert added.from_json(finding.to_json(), finding.file) == finding
    schema = TypeAdapter(_finding_type(added)).json_schema()
    assert "confidence" in schema["required"] and set(schema["properties"]) == _written(added)
