/* SPDX-License-Identifier: ISC */
/*
 * render.h: the renderers of the summary, each behind a struct render_ops
 * so that a caller picks one by format name (render_find()) and the model
 * (report.h) knows none of them. Each format has its file (text.c, md.c,
 * json.c, csv.c, html.c); the Reliability section has one instance per
 * format in rel_render.c, called by that format's renderer.
 */
#ifndef SHADOWTAP_RENDER_H
#define SHADOWTAP_RENDER_H

#include <stddef.h>
#include <stdio.h>

struct report;

/*
 * One output format. render() writes the whole report (or, for a
 * section's instance, that section) to fp and returns 0, or -1 on a write
 * error (errno set by stdio). Strings go through the format's escaping;
 * nothing from the database reaches fp raw.
 */
struct render_ops {
	const char	*name;		/* as --format takes it: "text", ... */
	const char	*alias;		/* another name for it, or NULL */
	int		(*render)(FILE *fp, const struct report *r);
};

/*
 * The format named name (or by its alias): text, markdown (md), json,
 * csv or html. NULL when there is none by that name.
 */
const struct render_ops *render_find(const char *name);

/*
 * text: for a terminal or e-mail, at most 100 columns; control and other
 * unsafe bytes appear as \xNN and backslash as \\.
 */
extern const struct render_ops render_text;
/* markdown: GitHub-flavoured tables; see render_md_str() for escaping. */
extern const struct render_ops render_md;
/* json: the stable object documented in doc/schema.md, strings via json_str. */
extern const struct render_ops render_json;
/*
 * csv: one section per table (a record naming it, a header record, the
 * rows, an empty line), RFC 4180 with CRLF; layout in doc/schema.md.
 */
extern const struct render_ops render_csv;
/*
 * html: one self-contained page (inline CSS and SVG, no script, a CSP
 * that forbids scripts), responsive and print-friendly.
 */
extern const struct render_ops render_html;

/*
 * The "Reliability" section in each format (rel_render.c); nothing is
 * written (JSON: null) when the report has no network-health data.
 */
extern const struct render_ops rel_render_text;
extern const struct render_ops rel_render_md;
extern const struct render_ops rel_render_json;
extern const struct render_ops rel_render_csv;
extern const struct render_ops rel_render_html;

/*
 * The "Knowledge at risk" section in each format (know_render.c); nothing
 * is written when no personal account received uploads, except the
 * JSON's empty array and the CSV's header.
 */
extern const struct render_ops know_render_text;
extern const struct render_ops know_render_md;
extern const struct render_ops know_render_json;
extern const struct render_ops know_render_csv;
extern const struct render_ops know_render_html;

/* The render() of each format above, by name. */
int		 render_text_report(FILE *fp, const struct report *);
int		 render_md_report(FILE *fp, const struct report *);
int		 render_json_report(FILE *fp, const struct report *);
int		 render_csv_report(FILE *fp, const struct report *);
int		 render_html_report(FILE *fp, const struct report *);

/*
 * Each format's string escaping, for its renderer and its Reliability
 * section.
 *
 * Writes s escaped for text into a column of width w (0: no limit),
 * padding with spaces, shortening with "..." when too long. Returns the
 * columns written.
 */
size_t		 render_text_str(FILE *fp, const char *s, size_t w);
/*
 * Writes s for a Markdown paragraph or table cell: | * _ ` [ ] < > \ & ~ !
 * and # get a backslash, newlines and other unsafe bytes become \xNN.
 */
void		 render_md_str(FILE *fp, const char *s);
/*
 * Writes s as one quoted CSV field: quotes doubled, backslash doubled,
 * unsafe bytes (newlines included) as \xNN, and a ' before a leading
 * = + - @ tab or CR so that no spreadsheet reads it as a formula.
 */
void		 render_csv_str(FILE *fp, const char *s);
/*
 * Writes s for HTML text or a quoted attribute: & < > " ' as entities,
 * backslash doubled, unsafe bytes (controls, C1, bidi, invalid UTF-8)
 * as \xNN.
 */
void		 render_html_str(FILE *fp, const char *s);

#endif
