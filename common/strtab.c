#include "common/strtab.h"

#include <string.h>

const char *rb_strtab_at(const char *tab, size_t i)
{
	for (; *tab; tab += strlen(tab) + 1)
		if (i-- == 0)
			return tab;
	return NULL;
}

int rb_strtab_index(const char *tab, const char *name)
{
	for (int i = 0; *tab; tab += strlen(tab) + 1, i++)
		if (strcmp(tab, name) == 0)
			return i;
	return -1;
}
