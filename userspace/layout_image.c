// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "layout_image.h"

#define ROW 512		/* points per row: 2 MiB of 4 KiB pages */

/* Node colours (tab10), node n gets COLOURS[n % 8]; grey: not backed. */
static const char *const colours[] = {
	"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
	"#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
};
#define NCOLOURS 8
#define ABSENT "#e1e1e1"

struct layout_image {
	FILE *gp;
	int panel;
	unsigned long sample;
	uint64_t points;
	unsigned int nodes_seen;	/* bit n: colour n was used */
	char label[256];
};

/* A string for gnuplot's double quotes. */
static void put_quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s == '\n' ? ' ' : *s, f);
	}
	fputc('"', f);
}

struct layout_image *layout_image_open(const char *out, const char *title, int npanels)
{
	struct layout_image *li = calloc(1, sizeof(*li));
	size_t len = strlen(out);
	bool svg = len > 4 && !strcmp(out + len - 4, ".svg");

	if (!li)
		return NULL;
	li->gp = popen("gnuplot", "w");
	if (!li->gp) {
		free(li);
		return NULL;
	}
	fprintf(li->gp, "set terminal %s size %d,%d font \"sans,10\"\n",
		svg ? "svg" : "pngcairo", 60 + npanels * 520, 760);
	/* "-": gnuplot writes the picture on our stdout. */
	if (strcmp(out, "-")) {
		fputs("set output ", li->gp);
		put_quoted(li->gp, out);
		fputc('\n', li->gp);
	}
	fputs("set multiplot layout 1,", li->gp);
	fprintf(li->gp, "%d title ", npanels);
	put_quoted(li->gp, title);
	fputs(" font \"sans,12\"\n", li->gp);
	fputs("set palette defined (-1 \"" ABSENT "\"", li->gp);
	for (int i = 0; i < NCOLOURS; i++)
		fprintf(li->gp, ", %d \"%s\"", i, colours[i]);
	fprintf(li->gp, ")\nset cbrange [-1:%d]\nunset colorbox\n", NCOLOURS - 1);
	fputs("set xrange [-0.5:511.5]\nset xtics 0,128,512\n"
	      "set key outside bottom center horizontal\nset bmargin 6\n", li->gp);
	return li;
}

static void end_panel(struct layout_image *li)
{
	double mib_per_row = ROW * li->sample / 256.0;
	uint64_t rows = (li->points + ROW - 1) / ROW;

	if (!li->panel)
		return;
	/* gnuplot's image needs whole rows: the rest of the last one is empty. */
	while (li->points % ROW)
		layout_image_point(li, li->points, -1);
	fputs("EOD\n", li->gp);
	fprintf(li->gp, "set title ");
	put_quoted(li->gp, li->label);
	fprintf(li->gp, "\nset xlabel \"%s in the row\"\n",
		li->sample > 1 ? "point (every sample-th page)" : "4 KiB page");
	fprintf(li->gp, "set ylabel \"guest RAM (MiB), %.4g MiB per row\"\n", mib_per_row);
	fprintf(li->gp, "set yrange [%.4g:%.4g]\n", (rows ? rows : 1) * mib_per_row,
		-mib_per_row / 2);
	fprintf(li->gp, "plot $panel%d using 1:($2*%.6g):3 with image notitle", li->panel,
		mib_per_row);
	for (int i = 0; i < NCOLOURS; i++)
		if (li->nodes_seen & (1u << i))
			fprintf(li->gp, ", keyentry with boxes fill solid fc rgb \"%s\" title \"node %d\"",
				colours[i], i);
	fputs(", keyentry with boxes fill solid fc rgb \"" ABSENT "\" title \"not backed\"\n",
	      li->gp);
}

void layout_image_panel(struct layout_image *li, const char *label, unsigned long sample)
{
	end_panel(li);
	li->panel++;
	li->sample = sample ? sample : 1;
	li->points = 0;
	li->nodes_seen = 0;
	snprintf(li->label, sizeof(li->label), "%s", label);
	fprintf(li->gp, "$panel%d << EOD\n", li->panel);
}

void layout_image_point(struct layout_image *li, uint64_t index, int node)
{
	int colour = node < 0 ? -1 : node % NCOLOURS;

	if (index < li->points)
		return;		/* out of order: the grid is written once, in order */
	while (li->points < index)	/* a hole in the layout: not backed */
		layout_image_point(li, li->points, -1);
	if (colour >= 0)
		li->nodes_seen |= 1u << colour;
	fprintf(li->gp, "%llu %llu %d\n", (unsigned long long)(index % ROW),
		(unsigned long long)(index / ROW), colour);
	li->points = index + 1;
}

int layout_image_close(struct layout_image *li)
{
	int status;

	end_panel(li);
	fputs("unset multiplot\n", li->gp);
	status = pclose(li->gp);
	free(li);
	return status == 0 ? 0 : -1;
}

int layout_image_add_file(struct layout_image *li, const char *label, const char *path)
{
	char line[128], node[32];
	unsigned long long gfn;
	FILE *f = fopen(path, "r");

	if (!f)
		return -errno;
	layout_image_panel(li, label, 1);
	while (fgets(line, sizeof(line), f)) {
		char *end;
		long n;

		if (sscanf(line, "%lli %31s", &gfn, node) != 2)
			continue;
		n = strtol(node, &end, 10);
		layout_image_point(li, gfn, *end || n < 0 ? -1 : (int)n);
	}
	fclose(f);
	return 0;
}
