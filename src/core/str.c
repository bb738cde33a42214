/* str.c - string helpers. */
#include "core/core.h"

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
