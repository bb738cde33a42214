/* str.c - string helpers. */
#include "core/core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *hc_strdup(const char *s)
{
    if (!s)
        s = "";
    const size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

void hc_damage_range_text(const struct hc_damage_range *r, char *buf, size_t n)
{
    if (r->last_frame > r->first_frame)
        snprintf(buf, n, "frames %lld-%lld (%.2f-%.2f s)", (long long)r->first_frame,
                 (long long)r->last_frame, r->t_start_s, r->t_end_s);
    else
        snprintf(buf, n, "frame %lld (%.2f s)", (long long)r->first_frame, r->t_start_s);
}

void hc_damage_text(const struct hc_damage *d, char *buf, size_t n)
{
    if (n == 0)
        return;
    buf[0] = '\0';
    size_t len = 0;
    for (int k = 0; d && k < d->n_ranges; k++) {
        char one[96], more[32];
        hc_damage_range_text(&d->range[k], one, sizeof one);
        snprintf(more, sizeof more, "and %d more", d->n_ranges - k);
        /* room for this one and, when others follow, the "and N more" that may end the list */
        const size_t need = strlen(one) + (len ? 2 : 0) +
                            (k + 1 < d->n_ranges ? strlen(more) + 2 : 0);
        if (len + need >= n) {
            if (len + strlen(more) + 2 < n)
                snprintf(buf + len, n - len, "%s%s", len ? ", " : "", more);
            return;
        }
        len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? ", " : "", one);
    }
}
