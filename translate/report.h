/* The -v pass reports, in SystemTap's wording:
 *
 *   Pass 1: parsed user script and 484 library scripts using
 *           107328virt/97160res/7504shr/89576data kb, in 280usr/80sys/361real ms.
 *
 * (one line).  A pass calls report_start before it runs and its report_*
 * function after; each prints only when -v (or --vp) reaches that pass.
 * Failure lines ("Pass 1: parse failed.") print whatever the verbosity. */
#ifndef TRANSLATE_REPORT_H
#define TRANSLATE_REPORT_H
#include "translate/session.h"
#include <stddef.h>
#include <stdint.h>
#include <time.h>

typedef struct PassTimer {
	struct timespec real;
	int64_t usr_us, sys_us;		/* this process plus waited-for children */
} PassTimer;

/* What the pass costs: time since report_start, memory now. */
typedef struct PassUsage {
	long usr_ms, sys_ms, real_ms;
	long virt_kb, res_kb, shr_kb, data_kb;
} PassUsage;

void report_start(PassTimer *t);
void report_measure(const PassTimer *t, PassUsage *u);

/* " using Vvirt/Rres/Sshr/Ddata kb, in Uusr/Ssys/Rreal ms." and
 * " in Uusr/Ssys/Rreal ms." (pass 4 and 5, whose work is in children). */
void report_format_usage(char *buf, size_t size, const PassUsage *u, bool memory);

bool report_wanted(const Session *s, int pass);

void report_pass1(const Session *s, const PassTimer *t);
void report_pass2(const Session *s, const PassTimer *t, int probes, int functions, int embeds,
		  int globals);
void report_pass3(const Session *s, const PassTimer *t, const char *c_file);
void report_pass4(const Session *s, const PassTimer *t, const char *module_file);
/* "Pass 3: using cached PATH" and "Pass 4: using cached PATH". */
void report_cached(const Session *s, int pass, const char *path);
void report_pass5_start(const Session *s);
void report_pass5(const Session *s, const PassTimer *t);
/* "Pass N: parse failed." ... "Pass 5: run failed." */
void report_failed(int pass);

#endif
