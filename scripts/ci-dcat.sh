#!/usr/bin/env bash
# CI step (issue 13): the DCAT-AP.de export has no SHACL violation. Installs pyshacl and rdflib with pip when they are
# missing (as root, as CI runs), then runs the tests that render a realistic five-dataset catalog published through
# the publish path (Tests/VerbundConnectorTests/Catalog/DCATFixture.swift) and a catalog published through
# `verbund datasets publish` on a running connector, export both with `DCATExport` / `verbund datasets export` in
# Turtle, RDF/XML and JSON-LD, and check each with scripts/dcat-shacl.py against the DCAT-AP.de 3.0 shapes (and 2.0
# for the 2.0 profile) of ../shared/dcat-ap-de; plus the rdflib round trip of the RDF writers. Missing shapes or
# pyshacl fail here (VERBUND_REQUIRE_OUTSIDE_CHECKERS=1). Idempotent.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHAPES="$ROOT/../shared/dcat-ap-de"
if ! python3 -c "import pyshacl, rdflib" 2>/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    python3 -m pip install --quiet pyshacl rdflib
  else
    echo "ci-dcat: pyshacl/rdflib missing and not root; run: python3 -m pip install pyshacl rdflib" >&2
    exit 1
  fi
fi
test -f "$SHAPES/v3.0/dcat-ap-SHACL-DE.ttl" || { echo "ci-dcat: $SHAPES not found (the shared folder beside the repository)" >&2; exit 1; }
# ckanext-dcat's RDFParser (the harvester GovData runs) for CKANHarvestTests, pinned, in its own environment.
VENV="$ROOT/.build/ckan-venv"
if ! "$VENV/bin/python" -c "from ckanext.dcat.processors import RDFParser" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet -r "$ROOT/scripts/ckan-harvester-requirements.txt"
fi
cd "$ROOT"
swift build --build-tests 2>&1 | grep -E "error|Build" | tail -5
VERBUND_REQUIRE_OUTSIDE_CHECKERS=1 swift test --skip-build \
  --filter 'RDFWriterTests|DCATAPDEGraphTests|DCATVocabularyTests|DCATShapesTests|DatasetExportCommandTests|PublishMetadataTests|CKANHarvestTests' 2>&1 \
  | tee /tmp/ci-dcat.log | grep -E "DCAT-AP.de [0-9.]+:|✘|Test run"
! grep -q "✘" /tmp/ci-dcat.log
echo "ci-dcat: DCAT-AP.de exports validate with 0 violations (3.0 and 2.0, Turtle, RDF/XML, JSON-LD)"
