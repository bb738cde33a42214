#!/usr/bin/env python3
"""accuracy.py - how right hingecheck's verdicts are on labelled real clips (docs/ACCURACY.md).

Runs hingecheck on every clip named in LABELS.tsv and INDEX.tsv (or reads reports written
before, --reports DIR) and prints: the good/bad AUC of the set score, the share of labelled clips
given a score, good lifts with an error, labelled faults found, must-not rules kept quiet,
not-assessable and borderline findings per rule, rep counts against INDEX.tsv, the implement
detected against the one the exercise text implies, and a per-clip table. --json FILE writes the
same figures as JSON for diffing two runs. Python 3 standard library only; a hand-run script,
not a test."""
import argparse
import csv
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SEV_RANK = {'none': 0, 'info': 1, 'borderline': 2, 'warning': 3, 'error': 4}
FIRING = ('warning', 'error')
NOT_ASSESSABLE = ('not-assessable', 'not_assessable')


# ---------------------------------------------------------------------------------------------
# Inputs

def read_tsv(path):
    """Rows of a tab-separated file with a header line, as dicts (stripped values)."""
    with open(path, newline='', encoding='utf-8') as f:
        rows = list(csv.DictReader(f, delimiter='\t', quoting=csv.QUOTE_NONE))
    return [{(k or '').strip(): (v or '').strip() for k, v in r.items()} for r in rows]


def id_list(text):
    """A comma list of rule ids ('' -> [])."""
    return [t.strip() for t in (text or '').split(',') if t.strip()]


def clip_key(name):
    """A clip's report basename: its file name without directory and extension."""
    return os.path.splitext(os.path.basename(name))[0]


def parse_reps(text):
    """The rep range [lo, hi] that INDEX.tsv's free-text approx_reps allows, with the rule used,
    or (None, why) when it cannot be read. 'N' -> [N, N]; 'N-M' or '~N-M' -> [N, M]; '~N' ->
    [N-1, N+1]; '+partial' in the note adds one to the top (a partial rep may be counted);
    'part of a rep', 'concentric only' or a note starting 'partial' (the clip holds less than
    one whole rep) lowers the bottom to 0; other notes ('+hike/park') change nothing."""
    t = (text or '').strip()
    m = re.match(r'^(~)?\s*(\d+)\s*(?:-\s*(\d+))?\s*(.*)$', t)
    if not m:
        return None, 'unparsed'
    approx, lo, hi, note = m.group(1), int(m.group(2)), m.group(3), m.group(4).lower()
    if hi is not None:
        lo, hi, rule = lo, int(hi), 'range'
    elif approx:
        lo, hi, rule = max(lo - 1, 0), lo + 1, '~N = N+-1'
    else:
        hi, rule = lo, 'exact'
    if '+partial' in note or '+ partial' in note:
        hi, rule = hi + 1, rule + ', +partial: top +1'
    elif re.search(r'part of a rep|concentric only|^\(\s*partial', note):
        lo, rule = 0, rule + ', less than a rep: bottom 0'
    return [lo, hi], rule


def implied_implement(exercise):
    """The implement INDEX.tsv's exercise text names ('kettlebell', 'barbell' or None)."""
    e = (exercise or '').lower()
    if 'kettlebell' in e:
        return 'kettlebell'
    if 'barbell' in e:
        return 'barbell'
    return None


# ---------------------------------------------------------------------------------------------
# Reports

def all_findings(report):
    """Every finding of a report: each rep's and the set-level ones."""
    out = []
    for r in report.get('reps') or []:
        out.extend(r.get('findings') or [])
    out.extend(report.get('findings') or [])
    return out


def finding_kind(f):
    """(rule id judged, kind) of a finding; kind is 'not-assessable', 'borderline' or its
    severity. A not-assessable finding is rule 'not-assessable' with `about` the rule, or any
    finding whose severity or status says not-assessable / borderline (or a true `borderline`
    or false `assessable` flag), so reports with or without such fields are both read."""
    rule = f.get('rule') or ''
    sev = (f.get('severity') or '').lower()
    status = (f.get('status') or '')
    status = status.lower() if isinstance(status, str) else ''
    if rule in NOT_ASSESSABLE:
        return f.get('about') or '?', 'not-assessable'
    if sev in NOT_ASSESSABLE or status in NOT_ASSESSABLE or f.get('assessable') is False:
        return rule, 'not-assessable'
    if sev == 'borderline' or status == 'borderline' or f.get('borderline') is True:
        return rule, 'borderline'
    return rule, sev


def fired(report, rule):
    """The findings of rule at warning or error (not borderline, not not-assessable)."""
    out = []
    for f in all_findings(report):
        r, kind = finding_kind(f)
        if r == rule and kind in FIRING:
            out.append(f)
    return out


def quiet_kinds(report, rule):
    """How many findings of rule were not-assessable and borderline."""
    n = {'not-assessable': 0, 'borderline': 0}
    for f in all_findings(report):
        r, kind = finding_kind(f)
        if r == rule and kind in n:
            n[kind] += 1
    return n


def report_implement(report):
    """The implement a report names in a field called `implement` (top level, or in exercise,
    set, clip, view or model): a string or an object with detected / verdict / value / used;
    None when the report has no such field (findings are notes, not fields)."""
    places = [report] + [report.get(k) for k in ('exercise', 'set', 'clip', 'view', 'model')]
    for p in places:
        if isinstance(p, dict) and 'implement' in p:
            v = p['implement']
            if isinstance(v, dict):
                for k in ('kind', 'detected', 'verdict', 'value', 'used', 'implement'):
                    if k in v:
                        return str(v[k])
                return json.dumps(v, sort_keys=True)
            return 'null' if v is None else str(v)
    return None


def first_line(path):
    """The first non-empty line of a text file that is not a warning or the list of files
    written (hingecheck warns of a short clip before saying why it found no rep, and lists the
    reports it wrote), else its first line ('' when none)."""
    lines = []
    try:
        with open(path, encoding='utf-8', errors='replace') as f:
            lines = [line.strip() for line in f if line.strip()]
    except OSError:
        pass
    for line in lines:
        if 'warning:' not in line and not line.startswith('hingecheck: wrote:'):
            return line
    return lines[0] if lines else ''


def run_clip(args, video, key):
    """Runs the binary on one clip, keeping its JSON, text, stderr and exit code in args.out."""
    out = os.path.join(args.out, key)
    for ext in ('.json', '.txt', '.err', '.rc'):
        if os.path.exists(out + ext):
            os.remove(out + ext)
    if args.rescore:
        # the analysis' own track: kinematics, reps and rules again, the video's passes kept
        cmd = [args.bin, 'score', os.path.join(args.rescore, key + '.track.jsonl'),
               '--deterministic', '--json', out + '.json'] + args.extra
    else:
        cmd = [args.bin, video, '--deterministic', '--json', out + '.json'] + args.extra
        if args.tracks:
            cmd += ['--track', out + '.track.jsonl']
    with open(out + '.txt', 'w') as so, open(out + '.err', 'w') as se:
        try:
            rc = subprocess.run(cmd, stdout=so, stderr=se, timeout=args.timeout).returncode
        except subprocess.TimeoutExpired:
            se.write('accuracy.py: killed after %g s\n' % args.timeout)
            rc = -9
        except OSError as e:
            se.write('accuracy.py: cannot run %s: %s\n' % (args.bin, e))
            rc = 127
    with open(out + '.rc', 'w') as f:
        f.write('%d\n' % rc)


def load_result(rdir, key):
    """What is known of one clip's analysis in rdir: exit code, first stderr line, report."""
    base = os.path.join(rdir, key)
    res = {'rc': None, 'stderr': first_line(base + '.err'), 'report': None, 'why': ''}
    try:
        with open(base + '.rc') as f:
            res['rc'] = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        pass
    try:
        with open(base + '.json', encoding='utf-8') as f:
            res['report'] = json.load(f)
    except OSError:
        res['why'] = 'no report'
    except ValueError as e:
        res['why'] = 'unreadable report (%s)' % e
    rep = res['report']
    if res['rc'] is None and rep is not None:
        res['rc'] = (rep.get('status') or {}).get('exit_code')
    return res


# ---------------------------------------------------------------------------------------------
# Figures

def auc(good, bad):
    """P(score of a good lift > score of a bad lift) over all (good, bad) pairs, ties 1/2; None
    without a pair."""
    if not good or not bad:
        return None
    wins = 0.0
    for g in good:
        for b in bad:
            wins += 1.0 if g > b else 0.5 if g == b else 0.0
    return wins / (len(good) * len(bad))


def share(n, d):
    return None if d == 0 else n / d


def pct(n, d):
    return 'n/a' if d == 0 else '%d / %d (%.0f%%)' % (n, d, 100.0 * n / d)


def fmt_num(v):
    if v is None:
        return 'null'
    return ('%.3f' % v).rstrip('0').rstrip('.') if isinstance(v, float) else str(v)


def fmt_value(v, unit):
    return fmt_num(v) + (' ' + unit if unit and v is not None else '')


def short_stderr(line):
    """A stderr line without the 'hingecheck: /path/clip.mp4: ' prefix."""
    return re.sub(r'^hingecheck: (?:\S+: )?', '', line)


def score_of(res):
    """(score, why none): a score only from a report of an analysis that exited 0."""
    rep = res['report']
    if res['rc'] not in (0, None):
        why = 'exit %s' % res['rc']
        if res['stderr']:
            why += ': ' + short_stderr(res['stderr'])
        return None, why
    if rep is None:
        return None, res['why'] or 'no report'
    s = (rep.get('set') or {}).get('score')
    if s is None:
        # a set with reps but none scored says why (docs/RULES.md, "Scores")
        why = (rep.get('set') or {}).get('verdict_reason')
        return None, why or ('status ' + ((rep.get('status') or {}).get('code') or '?'))
    return s, ''


def worst_kind(rep):
    """The worst severity among a report's findings, not-assessable ones left out."""
    worst = 'none'
    for f in all_findings(rep or {}):
        _, kind = finding_kind(f)
        if kind in SEV_RANK and SEV_RANK[kind] > SEV_RANK[worst]:
            worst = kind
    return worst


def measure(labels, index, results):
    """Every figure, as a JSON-ready dict, from the labels, the index and each clip's result."""
    clips = []
    good_scores, bad_scores = [], []
    n_good = n_good_err = n_good_scored = 0
    n_labelled = n_scored = 0
    fault_pairs, missed = 0, []
    must_pairs, must_quiet_noscore, loud = 0, 0, []
    found_n = 0
    na_by_rule, bl_by_rule = {}, {}
    reps_rows, reps_in = [], 0
    reps_parse = {}
    impl_rows, impl_seen, impl_notes = [], False, 0

    for key in sorted(results):
        res = results[key]
        rep = res['report']
        lab = labels.get(key)
        idx = index.get(key)
        score, why = score_of(res)
        row = {'clip': key, 'label': lab['label'] if lab else None, 'exit_code': res['rc'],
               'stderr': res['stderr'] if res['rc'] not in (0, None) else '',
               'score': score, 'no_score_why': why,
               'verdict': (rep.get('set') or {}).get('verdict') if rep else None,
               'worst_severity': worst_kind(rep) if rep else None,
               'n_reps': (rep.get('set') or {}).get('n_reps') if rep else None,
               'n_full': (rep.get('set') or {}).get('n_full') if rep else None,
               'faults_found': [], 'faults_missed': [], 'must_not_fired': []}
        for f in all_findings(rep or {}):
            r, kind = finding_kind(f)
            if kind == 'not-assessable':
                na_by_rule[r] = na_by_rule.get(r, 0) + 1
            elif kind == 'borderline':
                bl_by_rule[r] = bl_by_rule.get(r, 0) + 1
            elif f.get('rule') == 'implement':
                impl_notes += 1
        if lab and lab['label'] in ('good', 'bad'):
            n_labelled += 1
            if score is not None:
                n_scored += 1
                (good_scores if lab['label'] == 'good' else bad_scores).append(score)
            if lab['label'] == 'good':
                n_good += 1
                n_good_scored += score is not None
                if rep and worst_kind(rep) == 'error':
                    n_good_err += 1
            for rule in lab['faults']:
                fault_pairs += 1
                if rep and fired(rep, rule):
                    found_n += 1
                    row['faults_found'].append(rule)
                else:
                    q = quiet_kinds(rep or {}, rule)
                    note = why if score is None else ''
                    if q['not-assessable']:
                        note = (note + '; ' if note else '') + \
                            'not assessable x%d' % q['not-assessable']
                    if q['borderline']:
                        note = (note + '; ' if note else '') + 'borderline x%d' % q['borderline']
                    row['faults_missed'].append(rule)
                    missed.append({'clip': key, 'rule': rule, 'note': note})
            for rule in lab['must_not']:
                must_pairs += 1
                hits = fired(rep, rule) if rep else []
                if hits:
                    worst = max(hits, key=lambda f: SEV_RANK.get(f.get('severity'), 0))
                    ent = {'clip': key, 'rule': rule, 'severity': worst.get('severity'),
                           'value': worst.get('value'), 'unit': worst.get('unit') or '',
                           'reps': sorted({f.get('rep', 0) for f in hits})}
                    loud.append(ent)
                    row['must_not_fired'].append('%s %s %s' % (
                        rule, ent['severity'], fmt_value(ent['value'], ent['unit'])))
                elif score is None:
                    must_quiet_noscore += 1
        if idx is not None:
            rng, rule = parse_reps(idx['approx_reps'])
            reps_parse[idx['approx_reps']] = {'range': rng, 'rule': rule}
            n = row['n_reps']
            ok = rng is not None and n is not None and rng[0] <= n <= rng[1]
            reps_in += ok
            row['reps_expected'] = rng
            row['reps_ok'] = ok
            reps_rows.append({'clip': key, 'approx_reps': idx['approx_reps'], 'range': rng,
                              'n_reps': n, 'ok': ok})
            det = report_implement(rep) if rep else None
            impl_seen = impl_seen or det is not None
            impl_rows.append({'clip': key, 'implied': implied_implement(idx['exercise']),
                              'detected': det})
        clips.append(row)

    if impl_seen:
        judged = [r for r in impl_rows if r['implied']]
        impl = {'reported': True, 'rows': impl_rows,
                'agree': sum(1 for r in judged if r['detected'] == r['implied']),
                'n_implied': len(judged)}
    else:
        impl = {'reported': False, 'n_implement_notes': impl_notes}
    must_quiet = must_pairs - len(loud)
    return {
        'auc': auc(good_scores, bad_scores),
        'auc_pairs': len(good_scores) * len(bad_scores),
        'n_good_scored': len(good_scores), 'n_bad_scored': len(bad_scores),
        'n_labelled': n_labelled, 'n_scored': n_scored, 'scored_share': share(n_scored,
                                                                              n_labelled),
        'n_good': n_good, 'n_good_with_error': n_good_err,
        'good_with_error_share': share(n_good_err, n_good),
        'faults_total': fault_pairs, 'faults_found': found_n,
        'faults_found_share': share(found_n, fault_pairs), 'faults_missed': missed,
        'must_not_total': must_pairs, 'must_not_quiet': must_quiet,
        'must_not_quiet_share': share(must_quiet, must_pairs),
        'must_not_quiet_without_score': must_quiet_noscore, 'must_not_fired': loud,
        'not_assessable_by_rule': dict(sorted(na_by_rule.items())),
        'borderline_by_rule': dict(sorted(bl_by_rule.items())),
        'reps_total': len(reps_rows), 'reps_in_range': reps_in,
        'reps_parse': dict(sorted(reps_parse.items())), 'reps': reps_rows,
        'implement': impl, 'clips': clips,
    }


# ---------------------------------------------------------------------------------------------
# Output

def target(value, limit, at_least):
    """'met' / 'NOT met' for a share against its target ('n/a' without a share)."""
    if value is None:
        return 'n/a'
    return 'met' if (value >= limit if at_least else value <= limit) else 'NOT met'


def print_figures(m, src, out=sys.stdout):
    p = lambda *a: print(*a, file=out)
    p('hingecheck accuracy (%s)' % src)
    p('=' * 78)
    a = m['auc']
    p('good/bad AUC of the set score: %s  (%d good x %d bad scored clips = %d pairs; '
      'P(good > bad), ties 1/2)' % ('n/a' if a is None else '%.3f' % a, m['n_good_scored'],
                                    m['n_bad_scored'], m['auc_pairs']))
    p('labelled clips given a score:  %s  target >= 80%%: %s' % (
        pct(m['n_scored'], m['n_labelled']), target(m['scored_share'], 0.8, True)))
    p('good lifts with an error:      %s  target <= 10%%: %s' % (
        pct(m['n_good_with_error'], m['n_good']),
        target(m['good_with_error_share'], 0.1, False)))
    p('labelled faults found:         %s  target >= 75%%: %s' % (
        pct(m['faults_found'], m['faults_total']), target(m['faults_found_share'], 0.75, True)))
    for x in m['faults_missed']:
        p('    missed %-22s %s%s' % (x['rule'], x['clip'], '  (%s)' % x['note'] if x['note']
                                       else ''))
    p('must-not rules kept quiet:     %s  target >= 90%%: %s  (%d of the quiet pairs on clips '
      'with no score)' % (pct(m['must_not_quiet'], m['must_not_total']),
                          target(m['must_not_quiet_share'], 0.9, True),
                          m['must_not_quiet_without_score']))
    for x in m['must_not_fired']:
        p('    fired  %-22s %-7s %-11s rep %s  %s' % (
            x['rule'], x['severity'], fmt_value(x['value'], x['unit']),
            ','.join(str(r) for r in x['reps']), x['clip']))
    p('not-assessable findings (never found/fired), per rule: %s' % (
        ', '.join('%s %d' % kv for kv in m['not_assessable_by_rule'].items()) or 'none'))
    p('borderline findings (never found/fired), per rule: %s' % (
        ', '.join('%s %d' % kv for kv in m['borderline_by_rule'].items()) or
        'none (this binary reports no borderline severity or status)'))
    p('rep counts within INDEX.tsv approx_reps: %s' % pct(m['reps_in_range'], m['reps_total']))
    p('    parse of approx_reps:')
    for text, v in m['reps_parse'].items():
        p('      %-45s -> %s  (%s)' % ('"%s"' % text, v['range'], v['rule']))
    for r in m['reps']:
        if not r['ok']:
            p('    out of range: %s reps, expected %s  %s' % (r['n_reps'], r['range'], r['clip']))
    impl = m['implement']
    if not impl['reported']:
        p('implement: not reported by this binary (sets with an `implement` note: %d)' %
          impl['n_implement_notes'])
    else:
        p('implement detected = implied by INDEX.tsv exercise: %s' % pct(impl['agree'],
                                                                       impl['n_implied']))
        p('    %-11s %-11s %s' % ('implied', 'detected', 'clip'))
        for r in impl['rows']:
            p('    %-11s %-11s %s' % (r['implied'] or '?', r['detected'] or '-', r['clip']))
    p('')
    p('per clip (score: the set score, - when none; reps: all reps found (full ones) and the '
      'INDEX.tsv range)')
    p('%-5s %6s %-10s %-8s %-13s %s' % ('label', 'score', 'verdict', 'worst', 'reps', 'clip'))
    for c in m['clips']:
        reps = '-' if c['n_reps'] is None else '%d (%s)' % (c['n_reps'], fmt_num(c['n_full']))
        if c.get('reps_expected'):
            reps += ' %d-%d' % tuple(c['reps_expected'])
        p('%-5s %6s %-10s %-8s %-13s %s' % (
            c['label'] or '-', '-' if c['score'] is None else fmt_num(c['score']),
            c['verdict'] or '-', c['worst_severity'] or '-', reps, c['clip']))
        if c['score'] is None:
            p('      no score: %s' % c['no_score_why'])
        if c['faults_found'] or c['faults_missed']:
            p('      faults found: %s; missed: %s' % (','.join(c['faults_found']) or '-',
                                                     ','.join(c['faults_missed']) or '-'))
        if c['must_not_fired']:
            p('      must-not fired: %s' % '; '.join(c['must_not_fired']))


# ---------------------------------------------------------------------------------------------
# Self-test

def self_test():
    """Checks the AUC, the approx_reps parse and the finding reading on hand-made numbers;
    returns the number of failures."""
    bad = 0

    def check(what, got, want):
        nonlocal bad
        ok = (abs(got - want) < 1e-12) if isinstance(want, float) and got is not None \
            else got == want
        if not ok:
            bad += 1
        print('%s %s: got %r, want %r' % ('ok  ' if ok else 'FAIL', what, got, want))

    # 90>80, 90>60, 80=80 (1/2), 80>60, 70<80, 70>60: 4.5 of 6 pairs.
    check('auc with a tie', auc([90, 80, 70], [80, 60]), 0.75)
    check('auc perfect', auc([100, 99], [1]), 1.0)
    check('auc reversed', auc([1, 2], [3, 4]), 0.0)
    check('auc all tied', auc([50, 50], [50]), 0.5)
    check('auc no bad', auc([50], []), None)
    check('reps 10', parse_reps('10')[0], [10, 10])
    check('reps ~9-10', parse_reps('~9-10')[0], [9, 10])
    check('reps ~6 (+hike/park)', parse_reps('~6 (+hike/park)')[0], [5, 7])
    check('reps 2 (+partial)', parse_reps('2 (+partial)')[0], [2, 3])
    check('reps part of a rep', parse_reps('1 (short ones: part of a rep)')[0], [0, 1])
    check('reps (partial: ...)', parse_reps('1 (partial: ~1.8 s)')[0], [0, 1])
    check('reps unparsed', parse_reps('several')[0], None)
    rep = {'reps': [{'findings': [
        {'rule': 'bar-drift', 'severity': 'error', 'value': 20.0},
        {'rule': 'not-assessable', 'about': 'spine-rounded', 'severity': 'info'},
        {'rule': 'knee-squat', 'severity': 'borderline'},
        {'rule': 'heel-lift', 'severity': 'warning', 'status': 'not_assessable'},
        {'rule': 'neck-extended', 'severity': 'warning', 'status': 'borderline'},
        {'rule': 'lowering-fast', 'severity': 'info'}]}],
        'findings': [{'rule': 'view-oblique', 'severity': 'warning'}]}
    check('fired error', len(fired(rep, 'bar-drift')), 1)
    check('not-assessable rule', len(fired(rep, 'spine-rounded')), 0)
    check('borderline severity', len(fired(rep, 'knee-squat')), 0)
    check('not-assessable status', len(fired(rep, 'heel-lift')), 0)
    check('borderline status', len(fired(rep, 'neck-extended')), 0)
    check('info', len(fired(rep, 'lowering-fast')), 0)
    check('set-level finding', len(fired(rep, 'view-oblique')), 1)
    check('quiet kinds', quiet_kinds(rep, 'spine-rounded'), {'not-assessable': 1,
                                                             'borderline': 0})
    check('worst', worst_kind(rep), 'error')
    check('implement absent', report_implement(rep), None)
    check('implement object', report_implement({'implement': {'detected': 'barbell'}}),
          'barbell')
    check('implement in exercise', report_implement({'exercise': {'implement': 'kettlebell'}}),
          'kettlebell')
    check('implied', implied_implement('kettlebell swing (two-hand)'), 'kettlebell')
    # The whole measure on two clips: a good one with an error and a missed fault.
    labels = {'g': {'label': 'good', 'faults': [], 'must_not': ['bar-drift']},
              'b': {'label': 'bad', 'faults': ['bar-drift', 'spine-rounded'], 'must_not': []}}
    results = {'g': {'rc': 0, 'stderr': '', 'why': '', 'report': dict(rep, set={'score': 80})},
               'b': {'rc': 0, 'stderr': '', 'why': '', 'report': dict(rep, set={'score': 90})}}
    m = measure(labels, {}, results)
    check('measure auc', m['auc'], 0.0)
    check('measure faults found', (m['faults_found'], m['faults_total']), (1, 2))
    check('measure must-not quiet', (m['must_not_quiet'], m['must_not_total']), (0, 1))
    check('measure good with error', m['n_good_with_error'], 1)
    results['g'] = {'rc': 3, 'stderr': 'no rep', 'why': '', 'report': {'set': {'score': None}}}
    m = measure(labels, {}, results)
    check('measure no score', (m['n_scored'], m['auc']), (1, None))
    check('exit code wins', score_of({'rc': 1, 'stderr': "hingecheck: unknown option '--x'",
                                      'why': 'no report', 'report': None}),
          (None, "exit 1: unknown option '--x'"))
    check('score of exit 0', score_of({'rc': 0, 'stderr': '', 'why': '',
                                       'report': {'set': {'score': 62.5}}}), (62.5, ''))
    print('self-test: %s' % ('passed' if bad == 0 else '%d FAILED' % bad))
    return bad


# ---------------------------------------------------------------------------------------------

def main(argv):
    extra = []
    if '--' in argv:
        i = argv.index('--')
        argv, extra = argv[:i], argv[i + 1:]
    shared = os.path.join(os.path.dirname(ROOT), 'shared', 'clips')
    ap = argparse.ArgumentParser(
        description='Accuracy of hingecheck verdicts on labelled clips (docs/ACCURACY.md). '
        'Options after -- go to hingecheck.')
    ap.add_argument('--clips', default=shared, help='clips folder (default %(default)s)')
    ap.add_argument('--labels', help='labels TSV (default CLIPS/LABELS.tsv)')
    ap.add_argument('--index', help='index TSV (default CLIPS/INDEX.tsv)')
    ap.add_argument('--bin', default=os.path.join(ROOT, 'build', 'hingecheck'),
                    help='hingecheck binary (default %(default)s)')
    ap.add_argument('--out', default=os.path.join(ROOT, 'build', 'accuracy'),
                    help='where reports are kept (default %(default)s)')
    ap.add_argument('--reports', help='read the reports in this folder instead of running')
    ap.add_argument('--tracks', action='store_true',
                    help='also keep each analysis as OUT/CLIP.track.jsonl (hingecheck --track)')
    ap.add_argument('--rescore', metavar='DIR',
                    help='judge the tracks a --tracks run kept in DIR with `hingecheck score` '
                    'instead of analysing the videos: kinematics, reps and rules of the '
                    'binary, the pose, implement and mask passes of that run (seconds, not '
                    'minutes)')
    ap.add_argument('--only', action='append', default=[],
                    help='only clips whose name contains this (repeatable)')
    ap.add_argument('--timeout', type=float, default=600, help='seconds per clip')
    ap.add_argument('--json', help='write the figures as JSON to this file')
    ap.add_argument('--self-test', action='store_true', help='check the arithmetic and exit')
    args = ap.parse_args(argv)
    args.extra = extra
    if args.self_test:
        return 1 if self_test() else 0
    labels_path = args.labels or os.path.join(args.clips, 'LABELS.tsv')
    index_path = args.index or os.path.join(args.clips, 'INDEX.tsv')

    labels, index, video = {}, {}, {}
    if os.path.exists(labels_path):
        for r in read_tsv(labels_path):
            if not r.get('clip'):
                continue
            k = clip_key(r['clip'])
            lab = r.get('label', '').lower()
            if lab not in ('good', 'bad'):
                print('accuracy: %s: label "%s" is neither good nor bad: unlabelled' %
                      (k, lab), file=sys.stderr)
            labels[k] = {'label': lab, 'faults': id_list(r.get('faults')),
                         'must_not': id_list(r.get('must_not_flag'))}
            video[k] = r['clip']
    else:
        print('accuracy: no labels file %s' % labels_path, file=sys.stderr)
    if os.path.exists(index_path):
        for r in read_tsv(index_path):
            name = r.get('file') or r.get('clip')
            if not name:
                continue
            k = clip_key(name)
            index[k] = {'approx_reps': r.get('approx_reps', ''),
                        'exercise': r.get('exercise', '')}
            video.setdefault(k, name)
    else:
        print('accuracy: no index file %s' % index_path, file=sys.stderr)
    keys = sorted(k for k in video if not args.only or any(s in k for s in args.only))
    if not keys:
        print('accuracy: no clips (labels %s, index %s)' % (labels_path, index_path),
              file=sys.stderr)
        return 2

    if args.reports:
        rdir, src = args.reports, 'reports read from %s' % args.reports
    else:
        if not os.access(args.bin, os.X_OK):
            print('accuracy: %s is not an executable hingecheck; build it or say --bin' %
                  args.bin, file=sys.stderr)
            return 2
        os.makedirs(args.out, exist_ok=True)
        rdir = args.out
        src = '%s%s --deterministic%s; reports in %s' % (
            args.bin, ' score (tracks of %s)' % args.rescore if args.rescore else '',
            ''.join(' ' + e for e in extra), args.out)
        for i, k in enumerate(keys):
            path = video[k] if os.path.isabs(video[k]) else os.path.join(args.clips, video[k])
            print('[%d/%d] %s' % (i + 1, len(keys), k), file=sys.stderr, flush=True)
            if not os.path.exists(path):
                print('accuracy: %s: no such clip' % path, file=sys.stderr)
            run_clip(args, path, k)
    results = {k: load_result(rdir, k) for k in keys}
    m = measure({k: v for k, v in labels.items() if k in results},
                {k: v for k, v in index.items() if k in results}, results)
    print_figures(m, src)
    if args.json:
        doc = dict(m, source=src, labels=labels_path, index=index_path)
        with open(args.json, 'w') as f:
            json.dump(doc, f, indent=1, sort_keys=True)
            f.write('\n')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
