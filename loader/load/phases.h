/* Internal: the phases of loader/load, one file each, run by load.c. */
#ifndef RAWBPF_LOADER_LOAD_PHASES_H
#define RAWBPF_LOADER_LOAD_PHASES_H

#include "loader/load/load.h"

int rb_phase_ringbuf(struct rb_loaded *ld, struct rb_err *err);  /* output.c */
int rb_phase_btf(struct rb_loaded *ld, struct rb_err *err);      /* btf.c */
int rb_phase_maps(struct rb_loaded *ld, struct rb_err *err);     /* maps.c */
int rb_phase_values(struct rb_loaded *ld, struct rb_err *err);   /* maps.c */
int rb_phase_fixup(struct rb_loaded *ld, struct rb_err *err);    /* progs.c */
int rb_phase_progs(struct rb_loaded *ld, struct rb_err *err);    /* progs.c */
int rb_phase_pin_dir(struct rb_loaded *ld, struct rb_err *err);  /* pin.c */
int rb_phase_pin(struct rb_loaded *ld, struct rb_err *err);      /* pin.c */

/* Remembers a path this load created, so a failure removes it again. */
int rb_load_track(struct rb_loaded *ld, const char *path, struct rb_err *err);
/* "DIR/NAME" in a new string; NULL when out of memory. */
char *rb_load_join(const char *dir, const char *name);
/* rb_errf(err, RB_ESYS, "out of memory"): returns -RB_ESYS. */
int rb_load_oom(struct rb_err *err);
/* Closes fd when >= 0 (through the syscall chokepoint). */
void rb_load_close(const struct rb_loaded *ld, int fd);

/* Probes for kernel BTF support (btf_probe.c); fills ld->feats lazily. */
enum rb_btf_feat_id {
	RB_FEAT_ID_BTF, RB_FEAT_ID_FUNC, RB_FEAT_ID_FUNC_GLOBAL, RB_FEAT_ID_DATASEC,
	RB_FEAT_ID_FLOAT, RB_FEAT_ID_DECL_TAG, RB_FEAT_ID_TYPE_TAG, RB_FEAT_ID_ENUM64,
};
/* The BTF encodings of btf_type.info and an INT's trailing word (the UAPI
 * header has only the decoders). */
#define RB_BTF_INFO(kind, kflag, vlen) \
	(((uint32_t)(kflag) << 31) | ((uint32_t)(kind) << 24) | (uint32_t)(vlen))
#define RB_BTF_INT_ENC(enc, off, bits) (((uint32_t)(enc) << 24) | ((uint32_t)(off) << 16) | (uint32_t)(bits))

bool rb_btf_feat_has(struct rb_loaded *ld, enum rb_btf_feat_id id);

#endif
