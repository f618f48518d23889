/* SPDX-License-Identifier: ISC */
/*
 * render.c: the table of output formats that render_find() looks names
 * up in. Adding a format is one file with its struct render_ops and one
 * line here.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <string.h>

#include "report/render.h"

static const struct render_ops *const formats[] = {
	&render_text,
	&render_md,
	&render_json,
	&render_csv,
	&render_html,
};

const struct render_ops *
render_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(formats[i]->name, name) == 0 ||
		    (formats[i]->alias != NULL &&
		    strcmp(formats[i]->alias, name) == 0))
			return formats[i];
	return NULL;
}
