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

size_t hc_utf8_len(const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    const unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned cp;
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
        cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0; /* a continuation byte, an overlong lead (c0, c1) or past U+10FFFF */
    }
    for (size_t k = 1; k < n; k++) {
        if ((s[k] & 0xc0) != 0x80)
            return 0; /* also stops at the terminating NUL */
        cp = (cp << 6) | (s[k] & 0x3f);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

void hc_escape_ctl(char *dst, size_t n, const char *src)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    if (n == 0)
        return;
    for (const char *p = src ? src : ""; *p;) {
        const unsigned char c = (unsigned char)*p;
        size_t len = hc_utf8_len(p);
        /* U+0080-U+009F (c2 80 .. c2 9f) are the C1 controls */
        const int ctl = c < 0x20 || c == 0x7f || len == 0 ||
                        (len == 2 && c == 0xc2 && (unsigned char)p[1] < 0xa0);
        if (ctl) {
            const size_t k_n = len ? len : 1;
            if (o + 4 * k_n >= n)
                break;
            for (size_t k = 0; k < k_n; k++) {
                const unsigned char b = (unsigned char)p[k];
                dst[o++] = '\\';
                dst[o++] = 'x';
                dst[o++] = hex[b >> 4];
                dst[o++] = hex[b & 15];
            }
            p += k_n;
            continue;
        }
        if (o + len >= n)
            break;
        memcpy(dst + o, p, len);
        o += len;
        p += len;
    }
    dst[o] = '\0';
}

char *hc_utf8_sanitize(const char *s)
{
    if (!s)
        s = "";
    size_t need = 1;
    for (const char *p = s; *p;) {
        const size_t len = hc_utf8_len(p);
        need += len ? len : 3;
        p += len ? len : 1;
    }
    char *d = malloc(need);
    if (!d)
        return NULL;
    size_t o = 0;
    for (const char *p = s; *p;) {
        const size_t len = hc_utf8_len(p);
        if (len) {
            memcpy(d + o, p, len);
            o += len;
            p += len;
        } else {
            memcpy(d + o, "\xef\xbf\xbd", 3); /* U+FFFD */
            o += 3;
            p++;
        }
    }
    d[o] = '\0';
    return d;
}

char *hc_csv_cell(const char *text)
{
    /* control bytes and bytes that are not UTF-8 escaped first: the file may be printed on a
     * terminal (--csv -) and spreadsheets expect UTF-8 */
    const size_t cap = 4 * strlen(text ? text : "") + 1;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    hc_escape_ctl(s, cap, text);
    const int formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
                        s[0] == '\t' || s[0] == '\r';
    const int quote = strpbrk(s, ",\"\r\n") != NULL;
    size_t need = strlen(s) + 4; /* ' + two quotes + NUL */
    for (const char *p = s; *p; p++)
        need += *p == '"';
    char *d = malloc(need);
    if (!d) {
        free(s);
        return NULL;
    }
    size_t o = 0;
    if (quote)
        d[o++] = '"';
    if (formula)
        d[o++] = '\'';
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            d[o++] = '"';
        d[o++] = *p;
    }
    if (quote)
        d[o++] = '"';
    d[o] = '\0';
    free(s);
    return d;
}

size_t hc_url_encode(char *dst, size_t n, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        const int keep = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                         (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' ||
                         *p == '~' || *p == '/';
        if (keep) {
            if (o + 1 < n)
                dst[o] = (char)*p;
            o++;
        } else {
            for (int k = 0; k < 3; k++) {
                if (o + 1 < n)
                    dst[o] = k == 0 ? '%' : hex[k == 1 ? *p >> 4 : *p & 15];
                o++;
            }
        }
    }
    if (n)
        dst[o < n ? o : n - 1] = '\0';
    return o;
}
