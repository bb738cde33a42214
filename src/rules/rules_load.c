/* rules_load.c - parse a rules document (JSON, cJSON) into a rules_set.
 *
 * cJSON keeps no source positions, so errors find their line two ways: a syntax error from the
 * offset cJSON stops at, a bad field by walking the raw text to the n-th element of "rules"
 * and its key (a small scanner that knows strings and nesting, enough for valid JSON). The line
 * of every rule comes from one such walk over the whole text (linear: a per-rule walk made a
 * 10 MB file of 12,000 rules take minutes). */
#include "rules/rules.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *rules_lift_name(enum reps_lift l)
{
    return reps_lift_id(l);
}

int rules_lift_from_name(const char *name)
{
    return reps_lift_from_name(name);
}

const char *rules_severity_name(enum rules_severity s)
{
    return s == RULES_ERROR ? "error" : s == RULES_WARNING ? "warning" : "info";
}

void rules_set_free(struct rules_set *rs)
{
    if (!rs)
        return;
    for (size_t i = 0; i < rs->n; i++) {
        free(rs->rules[i].message);
        free(rs->rules[i].fix);
        free(rs->rules[i].source);
    }
    free(rs->rules);
    free(rs->source_name);
    free(rs);
}

static int line_at(const char *text, size_t off)
{
    int line = 1;
    for (size_t i = 0; i < off && text[i]; i++)
        line += text[i] == '\n';
    return line;
}

/* Skips a JSON string starting at text[i] == '"'; returns the index after its closing quote. */
static size_t skip_string(const char *text, size_t len, size_t i)
{
    for (i++; i < len; i++) {
        if (text[i] == '\\')
            i++;
        else if (text[i] == '"')
            return i + 1;
    }
    return len;
}

/* One walk over the text: the offset of element `idx` of the top-level "rules" array, and within
 * it of key `field` (when not NULL and present); returns the best offset found (0 when lost).
 * offs (may be NULL) gets the offsets of the first n elements on the way (0 for those not
 * found); idx -1 walks the whole array for them. */
static size_t scan_rules(const char *text, size_t len, long idx, const char *field, size_t n,
                         size_t *offs)
{
    int depth = 0, in_rules = 0;
    long elem = 0;
    size_t best = 0, i = 0;
    while (i < len && in_rules != 3) {
        char c = text[i];
        if (c == '"') {
            size_t end = skip_string(text, len, i);
            size_t k = end;
            while (k < len && (text[k] == ' ' || text[k] == '\t' || text[k] == '\r' ||
                               text[k] == '\n'))
                k++;
            int is_key = k < len && text[k] == ':';
            size_t klen = end - i - 2;
            if (is_key && depth == 1 && klen == 5 && strncmp(text + i + 1, "rules", 5) == 0)
                in_rules = 1;
            else if (is_key && in_rules == 2 && elem - 1 == idx && depth == 3 && field &&
                     klen == strlen(field) && strncmp(text + i + 1, field, klen) == 0)
                return i;
            i = end;
            continue;
        }
        if (c == '{' || c == '[') {
            depth++;
            if (in_rules == 1 && c == '[' && depth == 2) {
                in_rules = 2;
            } else if (in_rules == 2 && depth == 3) {
                if (offs && (size_t)elem < n)
                    offs[elem] = i;
                if (elem++ == idx)
                    best = i;
            }
        } else if (c == '}' || c == ']') {
            if (in_rules == 2 && depth == 2)
                in_rules = 3; /* the rules array is over */
            depth--;
        }
        i++;
    }
    return best;
}

static size_t locate(const char *text, size_t len, int idx, const char *field)
{
    return scan_rules(text, len, idx, field, 0, NULL);
}

struct ctx {
    const char *text, *name;
    size_t len;
};

static enum hc_status bad_field(const struct ctx *cx, int idx, const char *field, const char *what)
{
    size_t off = locate(cx->text, cx->len, idx, field);
    return hc_fail(HC_ERR_FORMAT, "%s:%d: rule %d field \"%s\": %s; fix the rules file", cx->name,
                   line_at(cx->text, off), idx + 1, field, what);
}

static enum hc_status get_text(const struct ctx *cx, int idx, const cJSON *o, const char *field,
                               char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, field);
    if (!cJSON_IsString(v) || !v->valuestring[0])
        return bad_field(cx, idx, field, v ? "must be a non-empty string" : "missing");
    /* the text is printed on terminals and in reports: UTF-8, no control characters ("\u001b"
     * would reach the terminal as an escape sequence) */
    for (const char *c = v->valuestring; *c;) {
        const size_t n = hc_utf8_len(c);
        if (n == 0 || (unsigned char)*c < 0x20 || *c == 0x7f)
            return bad_field(cx, idx, field, "must be UTF-8 text without control characters");
        c += n;
    }
    *out = hc_strdup(v->valuestring);
    return *out ? HC_OK : hc_fail(HC_ERR_NOMEM, "%s: out of memory", cx->name);
}

/* {"min": a, "max": b} with either optional (at least one); numbers only */
static enum hc_status get_range(const struct ctx *cx, int idx, const cJSON *o, const char *field,
                                int required, double *mn, double *mx)
{
    *mn = *mx = NAN;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, field);
    if (!v)
        return required ? bad_field(cx, idx, field, "missing (an object {\"min\": x, \"max\": y})")
                        : HC_OK;
    if (!cJSON_IsObject(v))
        return bad_field(cx, idx, field, "must be an object {\"min\": x, \"max\": y}");
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(v, "min");
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(v, "max");
    if ((a && !cJSON_IsNumber(a)) || (b && !cJSON_IsNumber(b)))
        return bad_field(cx, idx, field, "\"min\" and \"max\" must be numbers");
    if (!a && !b)
        return bad_field(cx, idx, field, "needs \"min\" or \"max\"");
    if ((a && !(fabs(a->valuedouble) <= RULES_MAX_ABS_LIMIT)) ||
        (b && !(fabs(b->valuedouble) <= RULES_MAX_ABS_LIMIT)))
        return bad_field(cx, idx, field, "\"min\" and \"max\" must be finite, within +-1e6");
    for (const cJSON *k = v->child; k; k = k->next)
        if (strcmp(k->string, "min") != 0 && strcmp(k->string, "max") != 0)
            return bad_field(cx, idx, field, "only \"min\" and \"max\" are allowed");
    if (a)
        *mn = a->valuedouble;
    if (b)
        *mx = b->valuedouble;
    if (a && b && *mn > *mx)
        return bad_field(cx, idx, field, "\"min\" is above \"max\"");
    return HC_OK;
}

static int known_key(const char *key, const char *const *keys, size_t n)
{
    for (size_t j = 0; j < n; j++)
        if (strcmp(key, keys[j]) == 0)
            return 1;
    return 0;
}

static const char *const rule_keys[] = {"id",      "lifts",    "metric", "phase",  "expected",
                                        "error_outside", "severity", "message", "fix", "source",
                                        "measured_by", "implements", "core"};

static enum hc_status parse_rule(const struct ctx *cx, int idx, const cJSON *o,
                                 struct rules_rule *r)
{
    enum hc_status st;
    if (!cJSON_IsObject(o))
        return bad_field(cx, idx, "id", "each rule must be an object");
    for (const cJSON *k = o->child; k; k = k->next) {
        int known = 0;
        for (size_t j = 0; j < HC_ARRAY_LEN(rule_keys); j++)
            known |= strcmp(k->string, rule_keys[j]) == 0;
        if (!known)
            return bad_field(cx, idx, k->string, "unknown field (a typo?)");
    }
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "id");
    if (!cJSON_IsString(id) || !id->valuestring[0] || strlen(id->valuestring) >= sizeof r->id)
        return bad_field(cx, idx, "id", id ? "must be a kebab-case string under 40 chars" : "missing");
    for (const char *c = id->valuestring; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-'))
            return bad_field(cx, idx, "id", "must be kebab-case (a-z, 0-9, -)");
    snprintf(r->id, sizeof r->id, "%s", id->valuestring);

    const cJSON *lifts = cJSON_GetObjectItemCaseSensitive(o, "lifts");
    if (!cJSON_IsArray(lifts) || cJSON_GetArraySize(lifts) == 0)
        return bad_field(cx, idx, "lifts", lifts ? "must be a non-empty array of lift names" : "missing");
    r->lifts = 0;
    for (const cJSON *l = lifts->child; l; l = l->next) {
        int li = cJSON_IsString(l) ? rules_lift_from_name(l->valuestring) : -1;
        /* rules files name lifts by id (not by the aliases --exercise accepts) */
        if (li <= 0 || strcmp(l->valuestring, rules_lift_name((enum reps_lift)li)) != 0) {
            char what[256];
            size_t len = (size_t)snprintf(what, sizeof what, "unknown lift (");
            for (int k = REPS_LIFT_AUTO + 1; k < REPS_N_LIFTS && len < sizeof what; k++)
                len += (size_t)snprintf(what + len, sizeof what - len, "%s%s",
                                        rules_lift_name((enum reps_lift)k),
                                        k + 1 < REPS_N_LIFTS ? ", " : ")");
            return bad_field(cx, idx, "lifts", what);
        }
        r->lifts |= 1u << li;
    }
    const cJSON *metric = cJSON_GetObjectItemCaseSensitive(o, "metric");
    int mi = cJSON_IsString(metric) ? rules_metric_from_name(metric->valuestring) : -1;
    if (mi < 0)
        return bad_field(cx, idx, "metric",
                         metric ? "unknown metric (see docs/RULES.md for the list)" : "missing");
    r->metric = (enum rules_metric)mi;
    const cJSON *phase = cJSON_GetObjectItemCaseSensitive(o, "phase");
    if (!cJSON_IsString(phase) || strcmp(phase->valuestring, rules_metric_phase(r->metric)) != 0) {
        char what[96];
        snprintf(what, sizeof what, "must be \"%s\" for metric %s", rules_metric_phase(r->metric),
                 rules_metric_name(r->metric));
        return bad_field(cx, idx, "phase", phase ? what : "missing");
    }
    snprintf(r->phase, sizeof r->phase, "%s", phase->valuestring);
    if ((st = get_range(cx, idx, o, "expected", 1, &r->min, &r->max)) != HC_OK)
        return st;
    if ((st = get_range(cx, idx, o, "error_outside", 0, &r->error_min, &r->error_max)) != HC_OK)
        return st;
    const cJSON *sev = cJSON_GetObjectItemCaseSensitive(o, "severity");
    const char *sv = cJSON_IsString(sev) ? sev->valuestring : "";
    if (strcmp(sv, "info") == 0)
        r->severity = RULES_INFO;
    else if (strcmp(sv, "warning") == 0)
        r->severity = RULES_WARNING;
    else if (strcmp(sv, "error") == 0)
        r->severity = RULES_ERROR;
    else
        return bad_field(cx, idx, "severity", sev ? "must be \"info\", \"warning\" or \"error\"" : "missing");
    if ((st = get_text(cx, idx, o, "message", &r->message)) != HC_OK ||
        (st = get_text(cx, idx, o, "fix", &r->fix)) != HC_OK ||
        (st = get_text(cx, idx, o, "source", &r->source)) != HC_OK)
        return st;
    /* optional: the row judges only reps whose metric came from this spine measurement */
    const cJSON *mb = cJSON_GetObjectItemCaseSensitive(o, "measured_by");
    r->measured_by = KIN_SPINE_NONE;
    if (mb) {
        const char *m = cJSON_IsString(mb) ? mb->valuestring : "";
        if (strcmp(m, "mask") == 0)
            r->measured_by = KIN_SPINE_MASK;
        else if (strcmp(m, "keypoints") == 0)
            r->measured_by = KIN_SPINE_PROXY;
        else
            return bad_field(cx, idx, "measured_by", "must be \"mask\" or \"keypoints\"");
        if (r->metric != RM_SPINE_CURVATURE_MAX && r->metric != RM_SPINE_CURVATURE_MIN &&
            r->metric != RM_SPINE_CURVATURE_LOCKOUT)
            return bad_field(cx, idx, "measured_by", "only for the spine_curvature_* metrics");
    }
    /* optional: the implements the row judges (docs/RULES.md, "Implement") */
    const cJSON *im = cJSON_GetObjectItemCaseSensitive(o, "implements");
    r->implements = 0;
    if (im) {
        if (!cJSON_IsArray(im) || cJSON_GetArraySize(im) == 0)
            return bad_field(cx, idx, "implements", "must be a non-empty array of implement names");
        for (const cJSON *l = im->child; l; l = l->next) {
            int ii = cJSON_IsString(l) ? kin_implement_from_name(l->valuestring) : -1;
            if (ii <= 0)
                return bad_field(cx, idx, "implements", "unknown implement (barbell, kettlebell)");
            r->implements |= 1u << ii;
        }
    }
    /* optional: a core check, without which a rep of its lifts is not judged (docs/RULES.md,
     * "Scores") */
    const cJSON *core = cJSON_GetObjectItemCaseSensitive(o, "core");
    r->core = 0;
    if (core) {
        if (!cJSON_IsBool(core))
            return bad_field(cx, idx, "core", "must be true or false");
        r->core = cJSON_IsTrue(core);
    }
    return HC_OK;
}

static enum hc_status top_fail(const struct ctx *cx, const char *key, const char *what)
{
    /* top-level keys: find the key's text directly */
    char pat[64];
    const size_t pl = (size_t)snprintf(pat, sizeof pat, "\"%s\"", key);
    size_t hit = 0;
    for (size_t i = 0; pl < sizeof pat && i + pl <= cx->len && !hit; i++)
        if (memcmp(cx->text + i, pat, pl) == 0)
            hit = i + 1;
    return hc_fail(HC_ERR_FORMAT, "%s:%d: field \"%s\": %s; fix the rules file", cx->name,
                   hit ? line_at(cx->text, hit - 1) : 1, key, what);
}

/* "consistency": {"metric": tolerance, ...} (positive numbers, at most
 * HC_ARRAY_LEN(rs->consistency) metrics, in the document's order). */
static enum hc_status get_consistency(const struct ctx *cx, const cJSON *c, struct rules_set *rs)
{
    if (!cJSON_IsObject(c) || !c->child)
        return top_fail(cx, "consistency", "must be an object {\"metric\": tolerance, ...}");
    rs->n_consistency = 0;
    for (const cJSON *k = c->child; k; k = k->next) {
        const int m = rules_metric_from_name(k->string);
        if (m < 0)
            return top_fail(cx, "consistency", "unknown metric (see docs/RULES.md for the list)");
        if (!cJSON_IsNumber(k) || !(k->valuedouble > 0.0 && k->valuedouble <= RULES_MAX_ABS_LIMIT))
            return top_fail(cx, "consistency", "tolerances must be positive numbers up to 1e6");
        if (rs->n_consistency == HC_ARRAY_LEN(rs->consistency))
            return top_fail(cx, "consistency", "too many metrics (at most 8)");
        rs->consistency[rs->n_consistency].metric = (enum rules_metric)m;
        rs->consistency[rs->n_consistency++].tol = k->valuedouble;
    }
    return HC_OK;
}

/* Line of every rule: one walk for the offsets, one for the lines (offsets increase). */
static enum hc_status set_lines(const struct ctx *cx, struct rules_set *rs)
{
    size_t *offs = calloc(rs->n ? rs->n : 1, sizeof *offs);
    if (!offs)
        return hc_fail(HC_ERR_NOMEM, "%s: out of memory", cx->name);
    scan_rules(cx->text, cx->len, -1, NULL, rs->n, offs);
    int line = 1;
    size_t at = 0;
    for (size_t i = 0; i < rs->n; i++) {
        for (; at < offs[i] && at < cx->len; at++)
            line += cx->text[at] == '\n';
        rs->rules[i].line = line;
    }
    free(offs);
    return HC_OK;
}

/* Two rows judge the same rep twice, and take its points twice, when they share an id, a metric
 * and a lift and their implements and spine measurements overlap (absent = all). Rows of one id
 * that read different metrics judge different things (a stance too narrow for the hips, too wide
 * for the shoulders). */
static int rows_overlap(const struct rules_rule *a, const struct rules_rule *b)
{
    return strcmp(a->id, b->id) == 0 && a->metric == b->metric && (a->lifts & b->lifts) &&
           (!a->implements || !b->implements || (a->implements & b->implements)) &&
           (a->measured_by == KIN_SPINE_NONE || b->measured_by == KIN_SPINE_NONE ||
            a->measured_by == b->measured_by);
}

/* Orders rows by id, then by place in the file. */
static int cmp_rule_id(const void *pa, const void *pb)
{
    const struct rules_rule *a = *(const struct rules_rule *const *)pa;
    const struct rules_rule *b = *(const struct rules_rule *const *)pb;
    const int c = strcmp(a->id, b->id);
    return c ? c : (a > b) - (a < b);
}

/* Refuses overlapping rows (rows_overlap). Sorted by id, only rows of one id are compared, so a
 * large file stays fast; a run of one id is small unless the rows overlap, and the first overlap
 * stops the check. */
static enum hc_status check_duplicates(const struct ctx *cx, const struct rules_set *rs)
{
    const struct rules_rule **ord = malloc((rs->n ? rs->n : 1) * sizeof *ord);
    if (!ord)
        return hc_fail(HC_ERR_NOMEM, "%s: out of memory", cx->name);
    for (size_t i = 0; i < rs->n; i++)
        ord[i] = &rs->rules[i];
    qsort(ord, rs->n, sizeof *ord, cmp_rule_id);
    enum hc_status st = HC_OK;
    for (size_t i = 0; i < rs->n && st == HC_OK; i++)
        for (size_t j = i + 1; j < rs->n && st == HC_OK; j++) {
            const struct rules_rule *first = ord[i], *later = ord[j]; /* in file order */
            if (strcmp(first->id, later->id) != 0)
                break;
            if (rows_overlap(first, later))
                st = hc_fail(HC_ERR_FORMAT, "%s:%d: rule %zu field \"id\": \"%s\" again for a "
                             "lift of the row at line %d (each finding would cost its points "
                             "twice); give the rows different lifts, implements or measured_by, "
                             "or delete one; fix the rules file", cx->name, later->line,
                             (size_t)(later - rs->rules) + 1, later->id, first->line);
        }
    free(ord);
    return st;
}

enum hc_status rules_load_text(const char *text, size_t len, const char *name,
                               struct rules_set **out)
{
    enum hc_status st = HC_OK;
    struct rules_set *rs = NULL;
    cJSON *root = NULL;
    if (!out)
        return hc_fail(HC_ERR_INVALID_ARG, "rules_load_text: no output pointer");
    *out = NULL;
    if (!name)
        name = "rules";
    if (!text)
        return hc_fail(HC_ERR_INVALID_ARG, "%s: no text", name);
    struct ctx cx = {text, name, len};
    const char *end = NULL;
    root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!root) {
        size_t off = end && end >= text && end <= text + len ? (size_t)(end - text) : len;
        /* the text need not end in a NUL: quote at most what is left of it */
        const int quote = (int)(len - off < 20 ? len - off : 20);
        return hc_fail(HC_ERR_FORMAT, "%s:%d: malformed JSON near \"%.*s\"; fix the rules file",
                       name, line_at(text, off), quote, text + off);
    }
    /* one document and nothing after it (a second document, pasted twice, would be ignored) */
    while (end && end < text + len && (*end == ' ' || *end == '\t' || *end == '\r' ||
                                       *end == '\n'))
        end++;
    if (end != text + len) {
        const size_t off = end ? (size_t)(end - text) : 0;
        st = hc_fail(HC_ERR_FORMAT, "%s:%d: %s after the JSON document; a rules file holds one "
                     "document", name, line_at(text, off),
                     end && end < text + len && *end == '\0' ? "a NUL byte" : "more text");
        goto fail;
    }
    if (!cJSON_IsObject(root)) {
        st = hc_fail(HC_ERR_FORMAT, "%s:1: the document must be a JSON object with \"rules\"", name);
        goto fail;
    }
    static const char *const top_keys[] = {"schema", "comment", "min_confidence", "scoring",
                                           "consistency", "rules"};
    for (const cJSON *k = root->child; k; k = k->next)
        if (!known_key(k->string, top_keys, HC_ARRAY_LEN(top_keys))) {
            st = top_fail(&cx, k->string, "unknown field (a typo?)");
            goto fail;
        }
    rs = calloc(1, sizeof *rs);
    if (!rs || !(rs->source_name = hc_strdup(name))) {
        st = hc_fail(HC_ERR_NOMEM, "%s: out of memory", name);
        goto fail;
    }
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(root, "schema");
    if (!cJSON_IsString(schema) || strcmp(schema->valuestring, "hingecheck-rules/1") != 0) {
        st = top_fail(&cx, "schema", schema ? "must be \"hingecheck-rules/1\"" : "missing");
        goto fail;
    }
    const cJSON *mc = cJSON_GetObjectItemCaseSensitive(root, "min_confidence");
    if (!cJSON_IsNumber(mc) || mc->valuedouble < 0 || mc->valuedouble > 1) {
        st = top_fail(&cx, "min_confidence", mc ? "must be a number in [0, 1]" : "missing");
        goto fail;
    }
    rs->min_confidence = mc->valuedouble;
    const cJSON *sc = cJSON_GetObjectItemCaseSensitive(root, "scoring");
    if (!cJSON_IsObject(sc)) {
        st = top_fail(&cx, "scoring", sc ? "must be an object" : "missing");
        goto fail;
    }
    for (int s = 0; s < 3; s++) {
        const char *k = rules_severity_name((enum rules_severity)s);
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(sc, k);
        if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 100) {
            st = top_fail(&cx, "scoring", "needs \"info\", \"warning\" and \"error\" penalties in 0..100");
            goto fail;
        }
        rs->penalty[s] = v->valuedouble;
    }
    static const char *const scoring_keys[] = {"info", "warning", "error", "core_min_share"};
    for (const cJSON *k = sc->child; k; k = k->next)
        if (!known_key(k->string, scoring_keys, HC_ARRAY_LEN(scoring_keys))) {
            st = top_fail(&cx, "scoring", "unknown field (a typo?): only \"info\", \"warning\", "
                          "\"error\" and \"core_min_share\"");
            goto fail;
        }
    /* optional: the least share of a rep's core checks that must be assessed for a score;
     * absent: 0 (every rep is scored, as before core checks existed) */
    const cJSON *cms = cJSON_GetObjectItemCaseSensitive(sc, "core_min_share");
    rs->core_min_share = 0.0;
    if (cms) {
        if (!cJSON_IsNumber(cms) || cms->valuedouble < 0 || cms->valuedouble > 1) {
            st = top_fail(&cx, "scoring", "\"core_min_share\" must be a number in [0, 1]");
            goto fail;
        }
        rs->core_min_share = cms->valuedouble;
    }
    const cJSON *cons = cJSON_GetObjectItemCaseSensitive(root, "consistency");
    if (cons) {
        if ((st = get_consistency(&cx, cons, rs)) != HC_OK)
            goto fail;
    } else {
        /* a file without it (written before it existed) takes the built-in tolerances */
        const char *dt = rules_default_json();
        const struct ctx dcx = {dt, "built-in rules", strlen(dt)};
        cJSON *def = cJSON_Parse(dt);
        st = def ? get_consistency(&dcx, cJSON_GetObjectItemCaseSensitive(def, "consistency"), rs)
                 : hc_fail(HC_ERR_NOMEM, "%s: out of memory", name);
        cJSON_Delete(def);
        if (st != HC_OK)
            goto fail;
    }
    const cJSON *rules = cJSON_GetObjectItemCaseSensitive(root, "rules");
    if (!cJSON_IsArray(rules) || cJSON_GetArraySize(rules) == 0) {
        st = top_fail(&cx, "rules", rules ? "must be a non-empty array" : "missing");
        goto fail;
    }
    size_t n = (size_t)cJSON_GetArraySize(rules);
    rs->rules = calloc(n, sizeof *rs->rules);
    if (!rs->rules) {
        st = hc_fail(HC_ERR_NOMEM, "%s: out of memory", name);
        goto fail;
    }
    int idx = 0;
    for (const cJSON *o = rules->child; o; o = o->next, idx++) {
        rs->n = (size_t)idx + 1; /* so rules_set_free releases the strings of a half rule */
        if ((st = parse_rule(&cx, idx, o, &rs->rules[idx])) != HC_OK)
            goto fail;
    }
    if ((st = set_lines(&cx, rs)) != HC_OK || (st = check_duplicates(&cx, rs)) != HC_OK)
        goto fail;
    cJSON_Delete(root);
    *out = rs;
    return HC_OK;
fail:
    cJSON_Delete(root);
    rules_set_free(rs);
    return st;
}

enum hc_status rules_load_default(struct rules_set **out)
{
    const char *t = rules_default_json();
    return rules_load_text(t, strlen(t), "built-in rules", out);
}

enum hc_status rules_load_file(const char *path, struct rules_set **out)
{
    if (!out)
        return hc_fail(HC_ERR_INVALID_ARG, "rules_load_file: no output pointer");
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return hc_fail(HC_ERR_IO, "%s: cannot open rules file (%s); check the path", path,
                       strerror(errno));
    char *buf = NULL;
    size_t len = 0, cap = 0;
    enum hc_status st = HC_OK;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            if (cap > (size_t)16 << 20) {
                st = hc_fail(HC_ERR_TOO_LARGE, "%s: rules file over 16 MiB; is it a rules file?", path);
                break;
            }
            cap = cap ? cap * 2 : 8192;
            char *nb = realloc(buf, cap);
            if (!nb) {
                st = hc_fail(HC_ERR_NOMEM, "%s: out of memory", path);
                break;
            }
            buf = nb;
        }
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0) {
            if (ferror(f))
                st = hc_fail(HC_ERR_IO, "%s: read error; check the file", path);
            break;
        }
    }
    fclose(f);
    if (st == HC_OK) {
        buf[len] = '\0';
        st = rules_load_text(buf, len, path, out);
    }
    free(buf);
    return st;
}
