#!/usr/bin/env python3
"""validate_report.py - checks hingecheck JSON reports against docs/report.schema.json with a real
JSON Schema validator (python3-jsonschema, Draft 2020-12), and that the schema itself is valid.

    validate_report.py SCHEMA REPORT.json... [--expect KIND]...

KIND: a kind of content the reports given must hold between them, so a run that silently stops
writing it fails: not-assessable, borderline, series, failed (a batch clip's failure report),
no-pose, no-reps. Exit 0 all valid, 1 a report or the schema invalid or a kind missing, 77 the
jsonschema module is missing (CTest counts it as skipped; tools/setup.sh installs it)."""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("validate_report: skipped: the Python module jsonschema is missing "
          "(Debian: apt-get install python3-jsonschema; tools/setup.sh installs it)")
    sys.exit(77)


def kinds(doc):
    """The kinds of content a report holds."""
    out = set()
    status = doc.get("status", {}).get("code")
    if status in ("failed", "no-pose", "no-reps"):
        out.add(status)
    if "series" in doc:
        out.add("series")
    if "pair" in doc:
        out.add("pair")
    findings = list(doc.get("findings", []))
    for rep in doc.get("reps", []):
        findings += rep.get("findings", [])
    for f in findings:
        if f.get("rule") == "not-assessable":
            out.add("not-assessable")
        if f.get("borderline"):
            out.add("borderline")
    return out


def main(argv):
    expect, files = [], []
    args = iter(argv[1:])
    for a in args:
        if a == "--expect":
            expect.append(next(args))
        else:
            files.append(a)
    if len(files) < 2:
        print(__doc__)
        return 1
    with open(files[0]) as f:
        schema = json.load(f)
    cls = jsonschema.Draft202012Validator
    try:
        cls.check_schema(schema)
    except jsonschema.exceptions.SchemaError as e:
        print(f"{files[0]}: not a valid Draft 2020-12 schema: {e.message}")
        return 1
    validator = cls(schema)
    bad, seen = 0, set()
    for path in files[1:]:
        with open(path) as f:
            doc = json.load(f)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        for e in errors[:5]:
            where = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}"
                                  for p in e.absolute_path)
            print(f"{path}: {where}: {e.message[:300]}")
        bad += bool(errors)
        seen |= kinds(doc)
    missing = [k for k in expect if k not in seen]
    if missing:
        print("validate_report: no report held: " + ", ".join(missing))
    print(f"validate_report: {len(files) - 1 - bad} of {len(files) - 1} reports valid "
          f"(Draft 2020-12); held: {', '.join(sorted(seen))}")
    return 1 if bad or missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
