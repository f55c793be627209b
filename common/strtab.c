#include "common/strtab.h"

#include <string.h>

const char *rb_strtab_next(const char *name)
{
	return name + strlen(name) + 1;
}

const char *rb_strtab_at(const char *tab, size_t i)
{
	for (; *tab; tab = rb_strtab_next(tab))
		if (i-- == 0)
			return tab;
	return NULL;
}

int rb_strtab_index(const char *tab, const char *name)
{
	for (int i = 0; *tab; tab = rb_strtab_next(tab), i++)
		if (strcmp(tab, name) == 0)
			return i;
	return -1;
}
