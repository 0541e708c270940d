/* odflash: strings from devices and files are data (issue #18).
 *
 * A drive's vendor, model, revision and serial, a firmware file's IDs, a
 * journal line and a file name are bytes someone else chose: a device
 * that answers INQUIRY with ESC [ 2 J or an OSC-8 link must not steer the
 * user's terminal.  Everything the CLI prints goes through cli_esc():
 * the C0 controls (00-1F), DEL (7F), the C1 controls (U+0080-U+009F,
 * which some terminals obey as CSI/OSC) and every byte that is not part
 * of well-formed UTF-8 (RFC 3629 section 4: no overlong forms, no
 * surrogates, nothing above U+10FFFF) become the four characters \xNN;
 * the rest, including valid UTF-8 text, passes unchanged.  Messages keep
 * their own newlines and tabs (CLI_ESC_KEEP_NL); a single field does not.
 */
#include "cli.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Length of the well-formed UTF-8 sequence at p (n bytes left), 0 when
 * it is not one (RFC 3629 section 4, the UTF8-2/3/4 rules). */
static size_t
utf8_len(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];
	size_t len, i;
	unsigned char lo = 0x80, hi = 0xBF;

	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4;
	else
		return 0;
	if (c == 0xE0)
		lo = 0xA0;
	else if (c == 0xED)
		hi = 0x9F;
	else if (c == 0xF0)
		lo = 0x90;
	else if (c == 0xF4)
		hi = 0x8F;
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xBF)
			return 0;
	/* U+0080..U+009F: the C1 controls */
	if (c == 0xC2 && p[1] <= 0x9F)
		return 0;
	return len;
}

size_t
cli_esc_n(const char *s, size_t n, char *buf, size_t len, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0, i = 0, need = 0;
	bool full = len == 0;

	while (i < n) {
		size_t u = p[i] >= 0x80 ? utf8_len(p + i, n - i) : 0;
		char x[5];
		size_t w;
		const char *src;

		if (u > 0) {
			src = (const char *)p + i;
			w = u;
		} else if ((p[i] >= 0x20 && p[i] < 0x7F) ||
			   ((flags & CLI_ESC_KEEP_NL) &&
			    (p[i] == '\n' || p[i] == '\t'))) {
			src = (const char *)p + i;
			w = 1;
		} else {
			snprintf(x, sizeof(x), "\\x%02x", p[i]);
			src = x;
			w = 4;
		}
		i += u > 0 ? u : 1;
		need += w;
		if (!full && o + w < len) {
			memcpy(buf + o, src, w);
			o += w;
		} else {
			full = true;	/* stop copying, keep counting */
		}
	}
	if (len > 0)
		buf[o] = '\0';
	return need;
}

const char *
cli_esc(const char *s, char *buf, size_t len)
{
	if (s == NULL)
		s = "";
	cli_esc_n(s, strlen(s), buf, len, 0);
	return buf;
}

char *
cli_esc_dup(const char *s, unsigned flags)
{
	size_t n = s ? strlen(s) : 0;
	size_t need = cli_esc_n(s ? s : "", n, NULL, 0, flags);
	char *b = malloc(need + 1);

	if (b != NULL)
		cli_esc_n(s ? s : "", n, b, need + 1, flags);
	return b;
}

void
cli_vout(FILE *f, const char *fmt, va_list ap)
{
	char small[1024], *big = NULL;
	const char *text = small;
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(small, sizeof(small), fmt, aq);
	va_end(aq);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(small)) {
		big = malloc((size_t)n + 1);
		if (big == NULL)
			return;
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		text = big;
	}
	{
		char *e = cli_esc_dup(text, CLI_ESC_KEEP_NL);

		if (e != NULL)
			fputs(e, f);
		free(e);
	}
	free(big);
}

void
cli_out(FILE *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_vout(f, fmt, ap);
	va_end(ap);
}

int
cli_unescape(const char *s, char *out, size_t len, struct odf_diag *d)
{
	size_t o = 0;

	for (; *s != '\0'; s++) {
		unsigned v = (unsigned char)*s;

		if (*s == '\\') {
			char h[3] = { 0, 0, 0 };
			char *end;

			switch (*++s) {
			case '\\': v = '\\'; break;
			case 'e': v = 0x1b; break;
			case 'n': v = '\n'; break;
			case 'r': v = '\r'; break;
			case 't': v = '\t'; break;
			case 'x':
				if (s[1] != '\0')
					h[0] = s[1];
				if (h[0] != '\0' && s[2] != '\0')
					h[1] = s[2];
				v = (unsigned)strtoul(h, &end, 16);
				if (h[0] == '\0' || *end != '\0')
					return odf_diag_set(d, ODF_E_USAGE,
							    "\\x wants two hex "
							    "digits");
				s += 2;
				break;
			default:
				return odf_diag_set(d, ODF_E_USAGE, "unknown "
						    "escape (use \\\\, \\e, "
						    "\\n, \\r, \\t or \\xNN)");
			}
			if (v == 0)
				return odf_diag_set(d, ODF_E_USAGE, "\\x00 "
						    "would end the string");
		}
		if (o + 1 >= len)
			return odf_diag_set(d, ODF_E_USAGE, "longer than %zu "
					    "bytes", len - 1);
		out[o++] = (char)v;
	}
	out[o] = '\0';
	return (int)o;
}
