/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pictures of guest-physical layouts, drawn by gnuplot: one panel per
 * layout, guest RAM left to right then top to bottom (512 points per row),
 * each point coloured by the host node backing it, grey if none; a legend
 * and a title.  PNG (pngcairo) or, for a name ending in .svg, SVG.
 */
#ifndef KVMNUMA_LAYOUT_IMAGE_H
#define KVMNUMA_LAYOUT_IMAGE_H

#include <stdint.h>
#include <stdio.h>

struct layout_image;

/*
 * Starts gnuplot for @npanels panels into @out ("-": a PNG on stdout),
 * titled @title; NULL + errno.
 */
struct layout_image *layout_image_open(const char *out, const char *title, int npanels);

/*
 * Begins the next panel: @label, and @sample pages per point (1: every
 * page).  Then layout_image_point() for each point, in order.
 */
void layout_image_panel(struct layout_image *li, const char *label, unsigned long sample);
/* Point @index of the panel (0, 1, ...): @node, or -1 when not backed. */
void layout_image_point(struct layout_image *li, uint64_t index, int node);

/* Finishes the picture; 0, or -1 if gnuplot failed (it said why on stderr). */
int layout_image_close(struct layout_image *li);

/* Reads a lab layout file ("GFN NODE" lines; NODE not a number: not backed) into a panel. */
int layout_image_add_file(struct layout_image *li, const char *label, const char *path);

#endif /* KVMNUMA_LAYOUT_IMAGE_H */
