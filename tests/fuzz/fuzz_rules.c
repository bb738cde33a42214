/*
 * fuzz_rules.c - libFuzzer target for the rules loader: rules_load_text on arbitrary bytes must
 * return a status, never crash, leak, read out of bounds or hit undefined behaviour; a set it
 * accepts must hold finite limits and no two rows judging the same rep on the same metric.
 * Build notes: tests/fuzz/CMakeLists.txt.
 */
#include "rules/rules.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rules_set *rs = NULL;
    /* the loader is given a length; the copy is not NUL-terminated past it on purpose */
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    if (size)
        memcpy(text, data, size);
    if (rules_load_text(text, size, "fuzz.json", &rs) == HC_OK) {
        for (size_t i = 0; i < rs->n; i++) {
            const struct rules_rule *r = &rs->rules[i];
            if ((!isnan(r->min) && !isfinite(r->min)) || (!isnan(r->max) && !isfinite(r->max)))
                abort();
            for (size_t j = i + 1; j < rs->n; j++)
                if (strcmp(r->id, rs->rules[j].id) == 0 && r->metric == rs->rules[j].metric &&
                    (r->lifts & rs->rules[j].lifts) &&
                    !r->implements && !rs->rules[j].implements &&
                    r->measured_by == rs->rules[j].measured_by)
                    abort();
        }
    }
    rules_set_free(rs);
    free(text);
    return 0;
}
