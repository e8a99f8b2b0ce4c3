/* Messages between a running script (kernel module or ptrace runtime) and
 * stapio.  Both sides include this header, so it uses fixed-width types
 * only.
 *
 * Kernel platform: control messages travel on the control file of the
 * module's debugfs folder; probe output travels in per-CPU relay channels
 * as records, each a struct stp_record header then len bytes.
 * User platform: one stream (a pipe) carries both, every unit a struct
 * stp_msg header then its payload; probe output is STP_MSG_DATA whose
 * payload is a record.
 *
 * Records carry a sequence number from one counter shared by all CPUs, so
 * stapio prints them in the order the probes produced them and can count
 * gaps as lost output. */
#ifndef RUNTIME_TRANSPORT_PROTOCOL_H
#define RUNTIME_TRANSPORT_PROTOCOL_H

#ifdef __KERNEL__
#include <linux/types.h>
typedef u32 stp_u32;
typedef u64 stp_u64;
typedef s32 stp_s32;
#else
#include <stdint.h>
typedef uint32_t stp_u32;
typedef uint64_t stp_u64;
typedef int32_t stp_s32;
#endif

#define STP_PROTOCOL_VERSION 1

enum stp_msg_type {
	/* module -> stapio */
	STP_MSG_READY = 1,	/* struct stp_msg_ready: transport is up */
	STP_MSG_STARTED,	/* struct stp_msg_started: begin probes ran, probes armed */
	STP_MSG_REQUEST_EXIT,	/* no payload: exit() called, or too many errors */
	STP_MSG_STOPPED,	/* no payload: end probes ran, output flushed */
	STP_MSG_WARNING,	/* text, printed as "WARNING: text" */
	STP_MSG_ERROR,		/* text, printed as "ERROR: text"; counted for exit 1 */
	STP_MSG_SYSTEM,		/* text: a command for system() to run */
	STP_MSG_LOST,		/* struct stp_msg_lost: records that did not fit */
	STP_MSG_DATA,		/* user platform only: a record */
	/* Added after version 1 was first written; the values above are fixed. */
	STP_MSG_SEQ,		/* struct stp_msg_seq: records numbered below next_seq
				 * were produced before the messages that follow */
	STP_MSG_TARGET_EXITED,	/* struct stp_msg_target_exited (user platform) */
	STP_MSG_CTL_LOST,	/* struct stp_msg_ctl_lost: control messages that did not fit */
	/* stapio -> module */
	STP_MSG_START = 64,	/* struct stp_msg_start */
	STP_MSG_STOP,		/* no payload: run end probes and stop */
};

struct stp_msg {
	stp_u32 type;
	stp_u32 len;		/* payload bytes after this header */
};

struct stp_msg_ready {
	stp_u32 protocol;	/* STP_PROTOCOL_VERSION */
	stp_u32 ncpus;		/* relay channels (kernel), 1 (user) */
	stp_u32 buffer_bytes;	/* per-CPU buffer size */
	stp_u32 flags;		/* STP_READY_* */
};

/* stp_msg_ready.flags: what a stapio attaching with -A finds */
#define STP_READY_STARTED	1u	/* probes already armed: send no START */
#define STP_READY_STOPPED	2u	/* end probes already ran: drain and unload */

struct stp_msg_start {
	stp_s32 target_pid;	/* -x PID or the -c command's pid; 0 for none */
	stp_u32 flags;		/* STP_START_* */
};

/* stp_msg_start.flags */
#define STP_START_HELD	1u	/* target_pid is a -c command held before its exec */

struct stp_msg_started {
	stp_s32 status;		/* 0, or -errno when probes could not be armed */
};

struct stp_msg_lost {
	stp_u32 cpu;
	stp_u32 records;
};

struct stp_msg_seq {
	stp_u64 next_seq;
};

struct stp_msg_target_exited {
	stp_s32 pid;
	stp_s32 wstatus;	/* as waitpid() reported it */
};

struct stp_msg_ctl_lost {
	stp_u32 messages;	/* WARNING, ERROR and SYSTEM messages dropped */
	stp_u32 errors;		/* of which ERROR: the run still exits 1 */
};

/* Longest WARNING/ERROR/SYSTEM text; longer text is cut there. */
#define STP_CTL_TEXT_MAX	4096

struct stp_record {
	stp_u64 seq;		/* global order of records */
	stp_u32 len;		/* bytes of output after this header */
	stp_u32 cpu;
};

#endif
