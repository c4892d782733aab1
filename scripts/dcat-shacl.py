#!/usr/bin/env python3
"""Validates DCAT-AP.de exports with pyshacl against the official shapes in the team's shared folder.

usage: dcat-shacl.py --profile 3.0|2.0 --shapes SHARED/dcat-ap-de [--dsp-context SHARED/dsp-2025-1/context] FILE...
       (FILE: .ttl, .rdf or .jsonld; or .json, a DSP 2025-1 message such as a Catalog, expanded with the DSP context)

A DSP message names its context by URL (https://w3id.org/dspace/2025/1/context.jsonld, which imports the ODRL
profile); the offline copies in the shared folder are used instead (pyld with a document loader that serves only those
two files and refuses every other URL), so the check needs no network.

Profiles as GovData's validator defines them (see SHARED/dcat-ap-de/README.md): 3.0 = SEMIC DCAT-AP 3.0.0 shapes
plus the v3.0 DE files; 2.0 = the v2.0 files with the conventions (de2.0). The vocabularies that have offline copies
(FOAF, vCard, ORG, the dcat-ap.de licences and contributors) join the data graph, as owl:imports would. Shapes that need a
vocabulary without an offline copy (EU language, data theme, file type, frequency, access right, availability,
politicalGeocoding key lists, SPDX, ADMS) are deactivated in memory, as the README says, and those properties are
checked by namespace here instead. Prints one line per file, then each violation; exits 1 when any file has one.
"""
import argparse, os, sys
from rdflib import Graph, Literal, Namespace, URIRef, RDF
from rdflib.namespace import SKOS
import pyshacl

SH = Namespace("http://www.w3.org/ns/shacl#")
DCT = Namespace("http://purl.org/dc/terms/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
EU = "http://publications.europa.eu/resource/authority/"
GEO = "http://dcat-ap.de/def/politicalGeocoding/"

FILES = {
    "3.0": ["semic-dcat-ap-3.0.0/dcat-ap-SHACL.ttl", "v3.0/dcat-ap-SHACL-DE.ttl",
            "v3.0/dcat-ap-de-controlledvocabularies.ttl", "v3.0/dcat-ap-de-deprecated.ttl",
            "v3.0/dcat-ap-spec-german-additions.ttl"],
    "2.0": ["v2.0/dcat-ap_2.1.1_shacl_shapes.ttl", "v2.0/dcat-ap-spec-german-additions.ttl",
            "v2.0/dcat-ap-spec-german-messages.ttl", "v2.0/dcat-ap-de-deprecated.ttl", "v2.0/dcat-ap-konventionen.ttl"],
}
VOCABULARIES = ["vocab/foaf_0_1.rdf", "vocab/vcard.ttl", "vocab/org.ttl",
                "vocab/dcat-ap-de-licenses-20200715.rdf", "vocab/dcat-ap-de-contributors-20251021.rdf"]
OFFLINE_SCHEMES = {URIRef("http://dcat-ap.de/def/licenses"), URIRef("http://dcat-ap.de/def/contributors")}

# Properties whose values come from a vocabulary without an offline copy: their class and scheme shapes are
# deactivated and the namespace is checked instead (None: any absolute IRI; the value must not be a literal).
NAMESPACES = {
    DCT.language: [EU + "language/"],
    DCAT.theme: [EU + "data-theme/"],
    DCT.format: [EU + "file-type/"],
    DCAT.mediaType: ["https://www.iana.org/assignments/media-types/", "http://www.iana.org/assignments/media-types/"],
    DCT.accrualPeriodicity: [EU + "frequency/"],
    DCT.accessRights: [EU + "access-right/"],
    URIRef("http://data.europa.eu/r5r/availability"): [EU + "planned-availability/"],
    DCT.spatial: [GEO, "http://sws.geonames.org/", EU + "place/", EU + "country/", EU + "continent/"],
    DCATDE.politicalGeocodingURI: [GEO],
    DCATDE.politicalGeocodingLevelURI: [GEO + "Level/"],
    URIRef("http://spdx.org/rdf/terms#algorithm"): ["http://spdx.org/rdf/terms#checksumAlgorithm_"],
    DCT.type: None, URIRef("http://www.w3.org/ns/adms#status"): None,
}


def shapes(root, profile):
    graph = Graph()
    for name in FILES[profile]:
        graph.parse(os.path.join(root, name))
    deactivated = 0
    # Scheme checks (`sh:path skos:inScheme; sh:hasValue <scheme>`) of vocabularies without an offline copy.
    for shape in set(graph.subjects(SH.path, SKOS.inScheme)):
        schemes = set(graph.objects(shape, SH.hasValue))
        if schemes and not schemes & OFFLINE_SCHEMES:
            graph.add((shape, SH.deactivated, Literal(True)))
            deactivated += 1
    # Class checks on the properties checked by namespace (their classes come from those vocabularies).
    for prop in NAMESPACES:
        for shape in set(graph.subjects(SH.path, prop)):
            if (shape, SH["class"], None) in graph or (shape, SH.node, None) in graph:
                graph.add((shape, SH.deactivated, Literal(True)))
                deactivated += 1
    return graph, deactivated


def vocabularies(root):
    graph = Graph()
    for name in VOCABULARIES:
        graph.parse(os.path.join(root, name))
    return graph


DSP_CONTEXTS = {
    "https://w3id.org/dspace/2025/1/context.jsonld": "dspace.jsonld",
    "https://w3id.org/dspace/2025/1/odrl-profile.jsonld": "odrl.jsonld",
}


def dsp_graph(path, context_folder):
    """The RDF of a DSP 2025-1 JSON-LD message, expanded with the offline DSP context."""
    import json
    from pyld import jsonld

    def loader(url, options=None):
        name = DSP_CONTEXTS.get(url)
        if name is None:
            raise jsonld.JsonLdError(f"no offline copy of {url}", "loading document failed", None, None, "loading document failed")
        with open(os.path.join(context_folder, name), encoding="utf-8") as handle:
            return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                    "document": json.load(handle)}

    with open(path, encoding="utf-8") as handle:
        document = json.load(handle)
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": loader})
    graph = Graph()
    graph.parse(data=nquads, format="nt")
    return graph


def namespace_problems(data):
    problems = []
    for prop, allowed in NAMESPACES.items():
        for subject, value in data.subject_objects(prop):
            if not isinstance(value, URIRef):
                problems.append(f"{subject} {prop}: {value!r} is not an IRI")
            elif allowed is not None and not any(str(value).startswith(ns) for ns in allowed):
                problems.append(f"{subject} {prop}: {value} is outside {', '.join(allowed)}")
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", choices=["3.0", "2.0"], required=True)
    parser.add_argument("--shapes", required=True, help="the dcat-ap-de folder of the shared folder")
    parser.add_argument("--warnings", action="store_true", help="print each warning too")
    parser.add_argument("--dsp-context", help="the folder with dspace.jsonld and odrl.jsonld (default: beside --shapes)")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    shape_graph, deactivated = shapes(args.shapes, args.profile)
    ontology = vocabularies(args.shapes)
    formats = {".ttl": "turtle", ".rdf": "xml", ".jsonld": "json-ld"}
    failed = False
    for path in args.files:
        if path.endswith(".json"):
            context = args.dsp_context or os.path.join(os.path.dirname(os.path.abspath(args.shapes)), "dsp-2025-1", "context")
            data = dsp_graph(path, context)
        else:
            data = Graph()
            data.parse(path, format=formats[os.path.splitext(path)[1]])
        # The vocabularies join the data graph, as the validator's owl:imports do (pyshacl's ont_graph is mixed in
        # only when it infers), so `skos:inScheme` of a licence or contributor IRI is seen.
        conforms, results, _ = pyshacl.validate(data + ontology, shacl_graph=shape_graph, inference="none",
                                                abort_on_first=False, allow_warnings=True, meta_shacl=False,
                                                advanced=True)
        counts = {}
        violations = []
        for result in results.subjects(RDF.type, SH.ValidationResult):
            severity = results.value(result, SH.resultSeverity)
            name = str(severity).split("#")[-1]
            counts[name] = counts.get(name, 0) + 1
            if severity == SH.Violation:
                violations.append((results.value(result, SH.focusNode), results.value(result, SH.resultPath),
                                   results.value(result, SH.resultMessage)))
        extra = namespace_problems(data)
        total = len(violations) + len(extra)
        failed = failed or total > 0
        print(f"{os.path.basename(path)} DCAT-AP.de {args.profile}: {len(data)} triples, {total} violations, "
              f"{counts.get('Warning', 0)} warnings, {counts.get('Info', 0)} infos "
              f"({deactivated} shapes deactivated for offline vocabularies)")
        for focus, rpath, message in sorted(violations, key=str):
            print(f"  violation: {focus} {rpath}: {message}")
        if args.warnings:
            for result in results.subjects(SH.resultSeverity, SH.Warning):
                print(f"  warning: {results.value(result, SH.focusNode)} {results.value(result, SH.resultMessage)}")
        for problem in extra:
            print(f"  violation (namespace): {problem}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
