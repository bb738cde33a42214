"""report_key.py - what two hingecheck JSON reports must share to count as the same analysis
(bench/run-frame-selection-check.sh): the status, the exercise and view verdicts, the reps
(index, partial) with each rep's findings (rule, severity), and the set's findings."""
import json


def key(path):
    """The comparable part of the report at path; None when it cannot be read."""
    try:
        with open(path) as f:
            d = json.load(f)
    except (OSError, ValueError):
        return None
    rep = lambda r: (r['index'], r['partial'],
                     tuple(sorted((f['rule'], f['severity']) for f in r.get('findings') or [])))
    ex, view = d.get('exercise'), d.get('view')
    return dict(status=(d.get('status') or {}).get('code'),
                exercise=ex.get('detected') if isinstance(ex, dict) else ex,
                view=view.get('verdict') if isinstance(view, dict) else view,
                reps=[rep(r) for r in d.get('reps') or []],
                findings=sorted((f['rule'], f['severity']) for f in d.get('findings') or []))


def print_diff(a, b):
    """Prints each part in which two keys differ (nothing when either is None)."""
    if a and b:
        for k in a:
            if a[k] != b[k]:
                print('    %s: %s\n     != %s' % (k, a[k], b[k]))
