#!/bin/sh
# run-stability-check.sh [--bin HINGECHECK] [--tracks DIR] [CLIP...] - do the findings hold when
# the input barely changes? A hand-run script, never a timed test (docs/ACCURACY.md, "Stability").
#
# For the demo clip and every clip in ../shared/clips (*.mp4, *.mov), or the clips given:
# analyses the clip once into a track (`hingecheck CLIP --track`: the poses with the implement
# and spine-mask measurements, so `score` of it is the analysis itself; kept in the tracks
# directory as CLIP.track.jsonl and reused when present, as `bench/run-accuracy.sh --tracks`
# writes them), then scores with `hingecheck score --json` (a) the track, (b) every other frame
# of it (the frame rate halved), (c) the track with every landmark moved by seeded uniform noise
# of +-0.5 px. Per
# (rep matched by time overlap, rule id) the state is quiet, borderline, warning, error or n/a (not
# assessable); a hard flip is quiet <-> warning/error or warning <-> error, a move into or out of
# borderline is soft, one into or out of n/a is counted apart (the joints were not trusted in one
# run: no decision to flip), and so are reps of one run with no time-overlapping rep in the
# other. The lift recognised in each run is shown when it differs (other rules then apply).
# Prints a per-clip table and totals; exit status 1 when any hard flip, 2 on a usage error.
#
# Environment: HINGECHECK_MODEL_DIR for the pose models (default: this tree's models/).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BIN=$ROOT/build/hingecheck
TRACKS=${TMPDIR:-/tmp}/hingecheck-stability-tracks
while [ $# -gt 0 ]; do
    case $1 in
        --bin) BIN=$2; shift 2 ;;
        --tracks) TRACKS=$2; shift 2 ;;
        -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        --) shift; break ;;
        -*) echo "run-stability-check.sh: unknown option $1" >&2; exit 2 ;;
        *) break ;;
    esac
done
: "${HINGECHECK_MODEL_DIR:=$ROOT/models}"
export HINGECHECK_MODEL_DIR
if [ $# -eq 0 ]; then
    set -- "$ROOT/data/demo/demo_rdl.mp4"
    for f in "$ROOT"/../shared/clips/*.mp4 "$ROOT"/../shared/clips/*.mov; do
        [ -f "$f" ] && set -- "$@" "$f"
    done
fi
mkdir -p "$TRACKS"
exec python3 - "$BIN" "$TRACKS" "$@" <<'EOF'
import json, os, random, subprocess, sys

bin_, tracks = sys.argv[1], sys.argv[2]
clips = []
for c in sys.argv[3:]:
    if os.path.basename(c) not in [os.path.basename(x) for x in clips]:
        clips.append(c)

RANK = {'quiet': 0, 'n/a': 0, 'borderline': 1, 'warning': 2, 'error': 3}


def track(clip):
    out = os.path.join(tracks, os.path.splitext(os.path.basename(clip))[0] + '.track.jsonl')
    if not os.path.exists(out):
        # exit 3 (no rep) still writes the track; an unreadable clip writes none
        subprocess.run([bin_, clip, '-q', '--track', out + '.tmp'], check=False)
        if os.path.exists(out + '.tmp'):
            os.replace(out + '.tmp', out)
    return out


def variant(base, kind, seed):
    """The halved-rate or the noisy copy of a track (header kept, fps halved for the former)."""
    out = base[:-6] + '.' + kind + '.jsonl'
    rng = random.Random(seed)
    with open(base) as f, open(out, 'w') as g:
        k = 0
        for line in f:
            d = json.loads(line)
            if 'hingecheck_track' in d:
                if kind == 'half' and d.get('fps'):
                    d['fps'] = d['fps'] / 2.0
                    if d.get('n_frames_estimate'):
                        d['n_frames_estimate'] = (d['n_frames_estimate'] + 1) // 2
                g.write(json.dumps(d) + '\n')
                continue
            if kind == 'half':
                if d['frame'] % 2:
                    continue
                d['frame'] = k
                k += 1
            elif d.get('landmarks'):
                d['landmarks'] = [[p[0] + rng.uniform(-0.5, 0.5), p[1] + rng.uniform(-0.5, 0.5)]
                                  + p[2:] for p in d['landmarks']]
            g.write(json.dumps(d) + '\n')
    return out


def score(tr):
    p = subprocess.run([bin_, 'score', tr, '--json', '-', '--deterministic', '-q'],
                       capture_output=True, text=True)
    try:
        return json.loads(p.stdout)
    except ValueError:
        return {'reps': []}


def states(rep):
    """rule id -> n/a/borderline/warning/error for one rep (absent: quiet)."""
    s = {}
    for f in rep.get('findings', []):
        rule, sev = f.get('rule'), f.get('severity')
        if rule == 'not-assessable' or f.get('about'):
            if f.get('about') and f['about'] not in s:
                s[f['about']] = 'n/a'
            continue
        st = 'borderline' if f.get('borderline') is True or sev == 'borderline' else sev
        if st not in RANK:
            continue
        if s.get(rule) == 'n/a' or RANK[st] > RANK.get(s.get(rule, 'quiet'), 0):
            s[rule] = st
    return s


def match(a, b):
    """Pairs of reps (index in a, index in b) by the largest time overlap, each used once."""
    cand = []
    for i, ra in enumerate(a):
        for j, rb in enumerate(b):
            ov = min(ra['t_end'], rb['t_end']) - max(ra['t_start'], rb['t_start'])
            if ov > 0:
                cand.append((-ov, i, j))
    cand.sort()
    ua, ub, pairs = set(), set(), []
    for _, i, j in cand:
        if i not in ua and j not in ub:
            ua.add(i)
            ub.add(j)
            pairs.append((i, j))
    return sorted(pairs), len(a) - len(ua), len(b) - len(ub)


def compare(a, b):
    hard, soft, na, det = 0, 0, 0, []
    pairs, un_a, un_b = match(a['reps'], b['reps'])
    for i, j in pairs:
        sa, sb = states(a['reps'][i]), states(b['reps'][j])
        for rule in sorted(set(sa) | set(sb)):
            x, y = sa.get(rule, 'quiet'), sb.get(rule, 'quiet')
            if x == y:
                continue
            if 'n/a' in (x, y):
                na += 1
                det.append('n/a  rep %d %s %s->%s' % (a['reps'][i]['index'], rule, x, y))
            elif 'borderline' in (x, y):
                soft += 1
                det.append('soft rep %d %s %s->%s' % (a['reps'][i]['index'], rule, x, y))
            else:
                hard += 1
                det.append('HARD rep %d %s %s->%s' % (a['reps'][i]['index'], rule, x, y))
    return hard, soft, na, un_a + un_b, det


rows, details = [], []
tot = {'half': [0, 0, 0, 0], 'noise': [0, 0, 0, 0]}
for n, clip in enumerate(clips):
    name = os.path.splitext(os.path.basename(clip))[0]
    print('[%d/%d] %s' % (n + 1, len(clips), name), file=sys.stderr, flush=True)
    base = track(clip)
    if not os.path.exists(base):
        print('run-stability-check: %s: no track (the analysis failed)' % clip, file=sys.stderr)
        continue
    ref = score(base)
    lift = lambda d: (d.get('exercise') or {}).get('detected', '-')
    row = [name, len(ref['reps'])]
    for kind in ('half', 'noise'):
        other = score(variant(base, kind, 1000 + n))
        h, s, na, u, det = compare(ref, other)
        row += [len(other['reps']), h, s, na, u]
        for k, v in enumerate((h, s, na, u)):
            tot[kind][k] += v
        if lift(other) != lift(ref):
            det.insert(0, 'lift %s -> %s' % (lift(ref), lift(other)))
        details += ['  %-40s %-5s %s' % (name[-40:], kind, d) for d in det]
    rows.append(row)

w = max([len(r[0][-44:]) for r in rows] + [5])
print('%-*s %4s | %-24s | %-24s' % (w, '', '', 'half the frame rate', 'landmarks +-0.5 px'))
print('%-*s %4s | %4s %4s %4s %4s %4s | %4s %4s %4s %4s %4s' % (
    w, 'clip', 'reps', 'reps', 'hard', 'soft', 'n/a', 'unm', 'reps', 'hard', 'soft', 'n/a', 'unm'))
for r in rows:
    print('%-*s %4d | %4d %4d %4d %4d %4d | %4d %4d %4d %4d %4d' % (w, r[0][-44:], *r[1:]))
print('%-*s %4s | %4s %4d %4d %4d %4d | %4s %4d %4d %4d %4d' % (
    w, 'total', '', '', *tot['half'], '', *tot['noise']))
print('(per matched rep and rule: hard = quiet <-> warning/error or warning <-> error; soft = into '
      'or out of borderline; n/a = into or out of not assessable; unm = reps with no '
      'time-overlapping rep in the other run)')
if details:
    print('flips:')
    print('\n'.join(details))
sys.exit(1 if tot['half'][0] + tot['noise'][0] else 0)
EOF
