/* Local time (see tz.h).  TZif layout (RFC 8536): a 44-byte header with six
 * big-endian counts, the version 1 data block, then for version 2+ a second
 * header and block with 64-bit times, then "\n<POSIX TZ>\n".  Every offset
 * into the file is checked before it is read: the file may be anything. */
#include "common/tz.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"

/* A POSIX zone string, parsed: offsets in seconds west of UTC (its sign);
 * rules as 'J' (1-365, no Feb 29), 'M' (month.week.day) or 0 (0-365). */
struct rule {
	char kind;
	int n, m, w, d, time;
};

struct posix_zone {
	int std_west, dst_west;
	bool has_dst;
	struct rule start, end;
};

/* The offset a time has in a zone. */
struct offset {
	long gmtoff;
	int isdst;
};

static int get_int(const char **p)
{
	int v = 0;
	for (; **p >= '0' && **p <= '9'; (*p)++)
		v = v < 100000 ? v * 10 + (**p - '0') : v;
	return v;
}

/* [+-]hh[:mm[:ss]] in seconds. */
static int get_offset(const char **p)
{
	int sign = **p == '-' ? -1 : 1, v;
	*p += **p == '-' || **p == '+';
	v = 3600 * get_int(p);
	for (int unit = 60; unit && **p == ':'; unit = unit == 60 ? 1 : 0) {
		(*p)++;
		v += unit * get_int(p);
	}
	return sign * v;
}

/* A zone name: <anything but '>'> or letters; true if there was one. */
static bool skip_name(const char **p)
{
	const char *s = *p;
	if (*s == '<') {
		s = strchr(s, '>');
		s = s ? s + 1 : *p + strlen(*p);
	} else {
		while ((unsigned)((*s | 0x20) - 'a') < 26)
			s++;
	}
	bool any = s != *p;
	*p = s;
	return any;
}

static void get_rule(const char **p, struct rule *r)
{
	*r = (struct rule){.kind = **p, .time = 7200};
	if (r->kind == 'M') {
		(*p)++;
		r->m = get_int(p);
		*p += **p == '.';
		r->w = get_int(p);
		*p += **p == '.';
		r->d = get_int(p);
	} else {
		if (r->kind != 'J')
			r->kind = 0;
		*p += r->kind == 'J';
		r->n = get_int(p);
	}
	if (**p == '/') {
		(*p)++;
		r->time = get_offset(p);
	}
}

static void parse_posix(const char *s, struct posix_zone *z)
{
	*z = (struct posix_zone){0};
	skip_name(&s);
	z->std_west = get_offset(&s);
	z->has_dst = skip_name(&s);
	z->dst_west = z->std_west;
	if (z->has_dst)
		z->dst_west = (*s == '+' || *s == '-' || (*s >= '0' && *s <= '9')) ? get_offset(&s) : z->std_west - 3600;
	if (*s == ',') {
		s++;
		get_rule(&s, &z->start);
	}
	if (*s == ',') {
		s++;
		get_rule(&s, &z->end);
	}
}

static bool is_leap(int64_t y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

/* Days from 1970-01-01 to y-m-d (m 1-12), proleptic Gregorian. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static int days_in_month(int64_t y, int m)
{
	static const unsigned char dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return dim[m - 1] + (m == 2 && is_leap(y));
}

/* Seconds from the epoch to the rule's moment in year y, as local wall time. */
static int64_t rule_time(const struct rule *r, int64_t y)
{
	int64_t day = days_from_civil(y, 1, 1);
	if (r->kind == 'J') {
		day += r->n - 1 + (is_leap(y) && r->n > 59);
	} else if (r->kind == 'M') {
		int m = r->m >= 1 && r->m <= 12 ? r->m : 1;
		int64_t first = days_from_civil(y, m, 1);
		int wday = (int)(((first + 4) % 7 + 7) % 7);
		int mday = (r->d - wday + 7) % 7 + 7 * ((r->w ? r->w : 1) - 1);
		while (mday >= days_in_month(y, m))
			mday -= 7;
		day = first + mday;
	} else {
		day += r->n;
	}
	return day * 86400 + r->time;
}

static struct offset posix_offset(const struct posix_zone *z, int64_t t)
{
	if (!z->has_dst)
		return (struct offset){-z->std_west, 0};
	int64_t days = t / 86400 - (t % 86400 < 0), y = 1970 + days * 400 / 146097;
	while (days_from_civil(y, 1, 1) > days)
		y--;
	while (days_from_civil(y + 1, 1, 1) <= days)
		y++;
	int64_t t0 = rule_time(&z->start, y) + z->std_west, t1 = rule_time(&z->end, y) + z->dst_west;
	bool dst = t0 < t1 ? t >= t0 && t < t1 : !(t >= t1 && t < t0);
	return (struct offset){dst ? -z->dst_west : -z->std_west, dst};
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A TZif file's version 2+ block, checked to lie inside the file. */
struct tzif {
	const unsigned char *trans, *index, *types;
	uint32_t ntrans, ntypes;
	const char *footer;   /* the POSIX string, or NULL */
};

static uint64_t tzif_block_size(const unsigned char *h, unsigned tsize)
{
	uint64_t isut = be32(h + 20), isstd = be32(h + 24), leap = be32(h + 28), trans = be32(h + 32),
		 types = be32(h + 36), chars = be32(h + 40);
	return trans * (tsize + 1) + types * 6 + chars + leap * (tsize + 4) + isstd + isut;
}

static bool tzif_parse(struct rb_buf *f, struct tzif *z)
{
	const unsigned char *d = (const unsigned char *)f->data;
	uint64_t len = f->len;
	if (len < 44)
		return false;
	uint64_t off = 44 + tzif_block_size(d, 4);
	if (memcmp(d, "TZif", 4) || d[4] < '2' || !rb_range_ok(off, 44, len) ||
	    memcmp(d + off, "TZif", 4))
		return false;
	const unsigned char *h = d + off;
	uint64_t end = off + 44 + tzif_block_size(h, 8);
	z->ntrans = be32(h + 32);
	z->ntypes = be32(h + 36);
	if (!z->ntypes || end > len)
		return false;
	z->trans = h + 44;
	z->index = z->trans + 8 * (uint64_t)z->ntrans;
	z->types = z->index + z->ntrans;
	for (uint32_t i = 0; i < z->ntrans; i++)
		if (z->index[i] >= z->ntypes)
			return false;
	z->footer = NULL;
	if (len > end + 1 && d[end] == '\n' && d[len - 1] == '\n') {
		f->data[len - 1] = 0;
		z->footer = f->data + end + 1;
	}
	return true;
}

static struct offset tzif_type(const struct tzif *z, uint32_t i)
{
	const unsigned char *t = z->types + 6 * i;
	return (struct offset){(int32_t)be32(t), t[4] != 0};
}

static int64_t tzif_trans(const struct tzif *z, uint32_t i)
{
	return (int64_t)((uint64_t)be32(z->trans + 8 * i) << 32 | be32(z->trans + 8 * i + 4));
}

/* Before the first transition: the first standard-time type (or type 0);
 * from the last one on: the footer's rule when there is one. */
static struct offset tzif_offset(const struct tzif *z, int64_t t)
{
	uint32_t lo = 0, hi = z->ntrans;     /* transitions [0, lo) are <= t */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (tzif_trans(z, mid) <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == z->ntrans && z->footer) {
		struct posix_zone p;
		parse_posix(z->footer, &p);
		return posix_offset(&p, t);
	}
	if (lo == 0) {
		uint32_t i = 0;
		while (i < z->ntypes && tzif_type(z, i).isdst)
			i++;
		return tzif_type(z, i < z->ntypes ? i : 0);
	}
	return tzif_type(z, z->index[lo - 1]);
}

/* musl's rule: ':' first names a file; a zone name followed by an offset,
 * or UTC/GMT alone, is a POSIX string; any other name ("Japan",
 * "Europe/Berlin") names a file below the zoneinfo folders. */
static bool names_file(const char *tz)
{
	const char *p = tz;
	if (!*tz)
		return false;   /* "" is UTC, as a POSIX string without offset */
	if (*tz == ':' || !skip_name(&p))
		return true;
	bool utc = p - tz == 3 && (!memcmp(tz, "UTC", 3) || !memcmp(tz, "GMT", 3));
	return !(*p == '+' || *p == '-' || (*p >= '0' && *p <= '9') || utc);
}

/* The file that TZ value names, read into *f; false when it cannot be read. */
static bool tz_file(const char *tz, struct rb_buf *f)
{
	static const char dirs[] = "/usr/share/zoneinfo/\0/share/zoneinfo/\0/etc/zoneinfo/\0";
	tz += *tz == ':';
	if (*tz == '/' || *tz == '.')
		return rb_read_file(tz, 1 << 20, f) == 0;
	if (strlen(tz) > 255 || strchr(tz, '.'))
		return false;
	for (const char *d = dirs; *d; d += strlen(d) + 1) {
		char path[300];
		snprintf(path, sizeof(path), "%s%s", d, tz);
		if (rb_read_file(path, 1 << 20, f) == 0)
			return true;
	}
	return false;
}

/* The zone file of the last TZ value, kept like every libc keeps its tzset
 * state (libc-internal, as the heap's lists are): a capture summary asks for
 * one timestamp per packet, and reading the file each time made it 3x slower. */
struct zone_cache {
	char tz[256];
	bool valid, ok;
	struct rb_buf f;
	struct tzif z;
};

static const struct tzif *cached_tzif(const char *tz)
{
	static struct zone_cache c;
	if (!c.valid || strcmp(c.tz, tz) != 0) {
		rb_buf_free(&c.f);
		c.f = (struct rb_buf){0};
		c.ok = strlen(tz) < sizeof(c.tz) && tz_file(tz, &c.f) && tzif_parse(&c.f, &c.z);
		c.valid = strlen(tz) < sizeof(c.tz);
		if (c.valid)
			strcpy(c.tz, tz);
	}
	return c.ok ? &c.z : NULL;
}

static struct offset local_offset(int64_t t)
{
	const char *tz = getenv("TZ");
	const struct tzif *z;
	struct posix_zone p;
	struct offset o = {0, 0};
	if (!tz)
		tz = "/etc/localtime";
	if (!names_file(tz)) {
		parse_posix(tz, &p);
		o = posix_offset(&p, t);
	} else if ((z = cached_tzif(tz)) != NULL) {
		o = tzif_offset(z, t);
	}
	return o;
}

/* Broken-down time of the local seconds s (Hinnant's civil_from_days). */
static struct tm *to_tm(int64_t s, struct offset o, struct tm *tm)
{
	int64_t days = s / 86400 - (s % 86400 < 0), secs = s - days * 86400;
	int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097, doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153, m = mp < 10 ? mp + 3 : mp - 9, y = yoe + era * 400 + (m <= 2);
	if (y - 1900 > INT32_MAX || y - 1900 < INT32_MIN) {
		errno = EOVERFLOW;
		return NULL;
	}
	*tm = (struct tm){.tm_sec = (int)(secs % 60), .tm_min = (int)(secs / 60 % 60), .tm_hour = (int)(secs / 3600),
			  .tm_mday = (int)(doy - (153 * mp + 2) / 5 + 1), .tm_mon = (int)m - 1,
			  .tm_year = (int)(y - 1900), .tm_wday = (int)(((days + 4) % 7 + 7) % 7),
			  .tm_yday = (int)(days - days_from_civil(y, 1, 1)), .tm_isdst = o.isdst,
			  .tm_gmtoff = o.gmtoff, .tm_zone = ""};
	return tm;
}

struct tm *rb_localtime(const time_t *t, struct tm *tm)
{
	/* Beyond +-2^55 s the year cannot fit an int anyway; this keeps the
	 * arithmetic below from overflowing. */
	if (*t > (int64_t)1 << 55 || *t < -((int64_t)1 << 55)) {
		errno = EOVERFLOW;
		return NULL;
	}
	struct offset o = local_offset(*t);
	return to_tm(*t + o.gmtoff, o, tm);
}
