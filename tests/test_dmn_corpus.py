"""Public DMN models run with their authors' own expected results (tests/dmn_corpus/README.md).

Every case must give the authors' answer; a case marked ``known_failure`` must still fail (its
reason is in docs/dmn.md), so that a fix is noticed and the mark removed.
"""
from __future__ import annotations

import pytest

from tests.dmn_corpus.corpus import load_model, load_spec, run_case, spec_files

CASES = []
for _path in spec_files():
    _spec = load_spec(_path)
    for _i, _case in enumerate(_spec["cases"]):
        CASES.append(pytest.param(_path, _i, id=f"{_path.parent.name}/{_path.name[:-len('.cases.json')]}#{_i + 1}"))


def test_the_corpus_is_at_least_25_models_with_sources_and_licences():
    specs = [load_spec(p) for p in spec_files()]
    assert len(specs) >= 25
    assert all(s["source"].startswith("https://github.com/") and s["licence"] and s["cases"] for s in specs)


@pytest.mark.parametrize("path,index", CASES)
def test_corpus_case(path, index):
    spec = load_spec(path)
    case = spec["cases"][index]
    rules, findings = load_model(path, spec)
    assert rules is not None, [f.message for f in findings]
    passed, message = run_case(rules, case)
    if case.get("known_failure"):
        assert not passed, f"now passes; remove known_failure ({case['known_failure']})"
    else:
        assert passed, message
